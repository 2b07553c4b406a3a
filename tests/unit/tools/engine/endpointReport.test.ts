import { expect } from "chai";
import { formatEndpoints } from "../../../../tools/engine/endpointReport";
import { platformOutputs } from "../../../../lib/contract/outputs";
import { rawConfigFromStackFile } from "../../../../lib/config/sources";
import { stackFilePath } from "../../../../tools/cli/stackFiles";
import { parseValid } from "../../../support/stacks";

describe("engine: the endpoints npm run setup prints", () => {
  const config = parseValid(rawConfigFromStackFile(stackFilePath("local")));
  const outputs = platformOutputs(config);
  const text = formatEndpoints("local", outputs.releases, outputs.notebooks);

  it("says how to open each notebook and read its login token, never printing it", () => {
    expect(text).to.contain(
      "open             kubectl -n team-data-science port-forward deploy/data-science-lab 8888:8888  -> http://localhost:8888/lab",
    );
    expect(text).to.contain(
      "login token      kubectl -n team-data-science get secret data-science-lab-jupyter-token -o jsonpath='{.data.token}' | base64 -d",
    );
  });

  it("names each release's submit URL, metastore and event-log prefix", () => {
    expect(text).to.contain("submit to        spark://spark-35-master.spark.svc:7077");
    expect(text).to.contain("submit to        sc://spark-41-connect.spark.svc:15002/;use_ssl=true");
    expect(text).to.contain("(database metastore_spark35)");
    expect(text).to.contain("event logs       s3a://spark-logs/4.1/events");
  });

  it("names each release's client Secret, and for Connect how the token goes into the URL", () => {
    expect(text).to.contain(
      "client Secret    spark-41-connect-client in each of those namespaces (token and ca.crt: TLS, add ;token=<token> to the URL)",
    );
    expect(text).to.contain("client Secret    spark-35-spark-client in each of those namespaces");
  });

  it("says where each release's client pods may run", () => {
    expect(text).to.contain(
      "client pods      label spark-platform.io/client-of=spark-35, in namespaces team-pipelines, airflow",
    );
    const none = parseValid(rawConfigFromStackFile(stackFilePath("local")));
    const withoutClients = { ...none.releases[1]!, clients: [] };
    const output = platformOutputs({ ...none, releases: [withoutClients], jobs: [] }).releases;
    expect(formatEndpoints("local", output)).to.contain(
      "client pods      label spark-platform.io/client-of=spark-41, in no namespace (releases[].clients grants none)",
    );
  });

  it("forwards every UI to its own loopback port", () => {
    const forwards = [...text.matchAll(/port-forward -n (\S+) svc\/(\S+) (\d+):(\d+)\s+-> (\S+)/g)];
    expect(forwards.map((m) => m[2])).to.deep.equal([
      "spark-35-master",
      "spark-35-history",
      "spark-41-connect",
      "spark-41-history",
    ]);
    const locals = forwards.map((m) => m[3]);
    expect(new Set(locals).size).to.equal(locals.length);
    for (const m of forwards) expect(m[5]).to.equal(`http://127.0.0.1:${m[3]}/`);
  });
});
