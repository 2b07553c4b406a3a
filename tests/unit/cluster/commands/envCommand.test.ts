import { expect } from "chai";
import { parseExports } from "../../../../tools/engine/localCluster";
import { layout } from "../../../../cluster/clusterLayout";
import { envExports, shellQuote } from "../../../../cluster/commands/envCommand";

const l = layout({ SPARK_PLATFORM_CACHE_DIR: "/cache" });

describe("cluster/commands: env", () => {
  it("prints single-quoted literal exports the engine harness parses back", () => {
    expect(shellQuote("it's")).to.equal(`'it'\\''s'`);
    const vars = parseExports(envExports(l, "/usr/bin:/bin").join("\n"));
    expect(vars.KUBECONFIG).to.equal(undefined); // no PKI yet under /cache: left out, not invented
    expect(vars.PATH).to.equal("/cache/cluster/bin/kubernetes-v1.34.4:/usr/bin:/bin");
    expect(vars).to.include({
      PGHOST: "10.201.0.1",
      PGPORT: "5432",
      SPARK_PLATFORM_MINIO_ENDPOINT: "http://10.201.0.1:9000",
    });
    expect(vars.SPARK_PLATFORM_MAVEN_MIRROR_DIR).to.equal("/cache/cluster/maven-mirror");
    const npmPath =
      "/r/node_modules/.bin:/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin:/usr/bin";
    expect(parseExports(envExports(l, npmPath).join("\n")).PATH).to.equal(
      "/cache/cluster/bin/kubernetes-v1.34.4:/usr/bin",
    );
  });
});
