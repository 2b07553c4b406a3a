import { expect } from "chai";
import { localStackConfig } from "./clients";
import {
  notebookComplaints,
  notebookTcpTargets,
  parseNotebookProbe,
  type NotebookProbe,
} from "./notebook";

const GOOD: NotebookProbe = {
  marker: "m1",
  tcp: {
    "spark-41-connect.spark.svc:15002": "open",
    "spark-41-metastore.spark.svc:9083": "refused",
    "minio.spark-infra.svc:9000": "timeout",
  },
  http: {
    labWithoutToken: { status: 302, location: "/login?next=%2Flab" },
    apiWithoutToken: { status: 403 },
    apiWithWrongToken: { status: 403 },
    apiWithToken: { status: 200 },
    labWithToken: { status: 200 },
  },
  notebook: { exitCode: 0, stderrTail: "", sparkVersion: "4.1.0", answer: 41, marker: "m1" },
};
const EXPECTED = {
  sparkVersion: "4.1.0",
  marker: "m1",
  reachable: ["spark-41-connect.spark.svc:15002"],
  unreachable: ["spark-41-metastore.spark.svc:9083", "minio.spark-infra.svc:9000"],
};

describe("live notebook check (pure parts)", () => {
  it("reads the probe's IT-NOTEBOOK line among kubectl's output", () => {
    const probe = parseNotebookProbe(`noise\nIT-NOTEBOOK ${JSON.stringify(GOOD)}\n`);
    expect(probe?.marker).to.equal("m1");
    expect(parseNotebookProbe("no line")).to.equal(undefined);
  });

  it("has no complaint about a notebook that answered, refused strangers and stayed in its lane", () => {
    expect(notebookComplaints(GOOD, EXPECTED)).to.deep.equal([]);
  });

  it("complains when the login is off, the cell ran elsewhere, or the policy lets it out", () => {
    const open: NotebookProbe = {
      ...GOOD,
      tcp: { ...GOOD.tcp, "minio.spark-infra.svc:9000": "open" },
      http: { ...GOOD.http, labWithoutToken: { status: 200 }, apiWithoutToken: { status: 200 } },
      notebook: { ...GOOD.notebook, sparkVersion: "3.5.7", marker: "other" },
    };
    const complaints = notebookComplaints(open, EXPECTED);
    expect(complaints).to.have.length(5);
    expect(complaints.join("\n")).to.match(/minio\.spark-infra\.svc:9000: open/);
    expect(complaints.join("\n")).to.match(/\/lab without the token answered 200/);
    expect(complaints.join("\n")).to.match(/apiWithoutToken: 200, not 403/);
    expect(complaints.join("\n")).to.match(/ran on Spark 3\.5\.7, not 4\.1\.0/);
  });

  it("complains when the token does not work either (the control's side)", () => {
    const locked: NotebookProbe = {
      ...GOOD,
      http: { ...GOOD.http, apiWithToken: { status: 403 } },
    };
    expect(notebookComplaints(locked, EXPECTED)).to.deep.equal([
      "apiWithToken: 403, not 200 (the control)",
    ]);
  });

  it("targets the release's Connect port, and its metastore, the other release and the store as closed", () => {
    const config = localStackConfig("local");
    const release = config.releases.find((r) => r.name === "spark-41")!;
    expect(notebookTcpTargets(config, release)).to.deep.equal({
      reachable: ["spark-41-connect.spark.svc:15002"],
      unreachable: [
        "spark-41-metastore.spark.svc:9083",
        "spark-35-master.spark.svc:7077",
        "minio.spark-infra.svc:9000",
      ],
    });
  });
});
