import { expect } from "chai";
import { reportRow } from "./benchmark";
import { eventLogComplaints, withSubmitConf } from "./jobs";
import { decommissionPreviewComplaints } from "./migration";
import { holdsDatabaseCredentials, workloadOfPod } from "./rotation";

const urn = (type: string, name: string) =>
  `urn:pulumi:lv-local::spark-platform::spark-platform:spark:SparkRelease$${type}::${name}`;

describe("live walk helpers: pure parts (tests/cluster/{migration,rotation,benchmark}.ts)", () => {
  describe("decommissionPreviewComplaints (the runbook's Phase 4 preview claims)", () => {
    const dynamic = "pulumi-nodejs:dynamic:Resource";
    const deletes = [
      { op: "delete", urn: urn("kubernetes:apps/v1:Deployment", "spark-35-master") },
      // The metastore's Secret shares its name with the database resource.
      { op: "delete", urn: urn("kubernetes:core/v1:Secret", "spark-35-metastore-db") },
      { op: "delete", urn: urn("spark-platform:spark:SparkRelease", "spark-35-spark") },
    ];

    it("accepts deletes of spark-35's Kubernetes objects and components, data untouched", () => {
      const steps = [...deletes, { op: "same", urn: urn("pulumi:pulumi:Stack", "lv-local") }];
      expect(decommissionPreviewComplaints(steps)).to.deep.equal([]);
    });

    it("names a data resource that would be deleted, replaced or updated", () => {
      for (const op of ["delete", "replace", "update"]) {
        const steps = [...deletes, { op, urn: urn(dynamic, "spark-35-metastore-role") }];
        expect(decommissionPreviewComplaints(steps), op).to.deep.equal([
          `${op} of retained ${dynamic} spark-35-metastore-role`,
        ]);
      }
      const aws = "aws:s3/bucketObjectv2:BucketObjectv2";
      expect(
        decommissionPreviewComplaints([
          ...deletes,
          { op: "delete", urn: urn(aws, "spark-35-event-log-prefix") },
        ]),
      ).to.deep.equal([`delete of retained ${aws} spark-35-event-log-prefix`]);
    });

    it("names any change to spark-41 and deletes of non-Kubernetes or other objects", () => {
      const steps = [
        ...deletes,
        { op: "update", urn: urn("kubernetes:apps/v1:Deployment", "spark-41-connect") },
        { op: "delete", urn: urn(dynamic, "spark-35-metastore-revoke-public") },
        { op: "delete", urn: urn("kubernetes:core/v1:Namespace", "spark") },
      ];
      expect(decommissionPreviewComplaints(steps)).to.deep.equal([
        "update of spark-41's spark-41-connect",
        `delete of non-Kubernetes ${dynamic} spark-35-metastore-revoke-public`,
        "delete of spark, not spark-35's",
      ]);
    });

    it("refuses a preview that deletes nothing", () => {
      expect(decommissionPreviewComplaints([])).to.deep.equal(["no deletes at all"]);
    });
  });

  it("rotation: only metastore and schema-init pods hold database passwords; pods map to their workload", () => {
    expect(holdsDatabaseCredentials("spark-35-metastore-76b576d777-cdgjl")).to.equal(true);
    expect(holdsDatabaseCredentials("spark-41-metastore-schema-init-kdscn")).to.equal(true);
    for (const pod of [
      "spark-35-master-5fbd9c8bd7-6rtdn",
      "spark-41-history-6b66b4c5bf-mxhxq",
      "spark-41-connect-66b8cfc4c-rdvtw",
      "spark-41-66cd90-exec-1",
    ])
      expect(holdsDatabaseCredentials(pod), pod).to.equal(false);
    expect(workloadOfPod("spark/spark-35-metastore-76b576d777-cdgjl")).to.equal(
      "spark-35-metastore",
    );
    expect(workloadOfPod("spark/spark-41-connect-66b8cfc4c-rdvtw")).to.equal("spark-41-connect");
    expect(workloadOfPod("spark/spark-35-metastore-schema-init-kdscn")).to.equal(
      "spark-35-metastore-schema-init",
    );
  });

  it("negative controls: extra --conf goes before the script; event-log complaints name release and keys", () => {
    expect(
      withSubmitConf(["spark-submit", "--master", "m", "job.py"], {
        "spark.eventLog.dir": "s3a://b/4.1/events",
      }),
    ).to.deep.equal([
      "spark-submit",
      "--master",
      "m",
      "--conf",
      "spark.eventLog.dir=s3a://b/4.1/events",
      "job.py",
    ]);
    const keys = ["4.1/events/app-1", "3.5/events/app-2"];
    expect(eventLogComplaints("spark-35", "app-1", keys, "b", "3.5/events")).to.deep.equal([
      "spark-35: no event log of app-1 under b/3.5/events/",
      "spark-35: event log of app-1 outside 3.5/events/: 4.1/events/app-1",
    ]);
    expect(eventLogComplaints("spark-35", "app-2", keys, "b", "3.5/events")).to.deep.equal([]);
  });

  it("bench-report rows are read by label", () => {
    const report =
      "| shuffle write | 98.5 MiB | n/a | n/a |\n| peak JVM heap | 1 B | 2 B | 2.00x |";
    expect(reportRow(report, "shuffle write")).to.deep.equal(["98.5 MiB", "n/a", "n/a"]);
    expect(reportRow(report, "peak JVM heap")).to.deep.equal(["1 B", "2 B", "2.00x"]);
    expect(reportRow(report, "absent")).to.deep.equal([]);
  });
});
