import { expect } from "chai";
import {
  clusterEnvFromExports,
  isLocalClusterStack,
  localClusterOverrides,
  parseExports,
} from "../../../../tools/engine/localCluster";

const EXPORTS = [
  "export KUBECONFIG='/cache/cluster/state/pki/admin.kubeconfig'",
  "export PATH='/cache/cluster/bin/kubernetes-v1.34.4:/usr/bin'",
  "export PGHOST=10.201.0.1",
  "export PGPORT=5432",
  `export PGPASSWORD='it'\\''s-secret'`,
  'export SPARK_PLATFORM_MINIO_ENDPOINT="http://10.201.0.1:9000"',
  "export AWS_ACCESS_KEY_ID=minio-access",
  "export AWS_SECRET_ACCESS_KEY=minio-secret",
].join("\n");

describe("engine: local cluster stacks", () => {
  it("stacks named local or local-<suffix> target the local cluster, others do not", () => {
    expect(["local", "local-prod", "local-2"].map(isLocalClusterStack)).to.deep.equal([
      true,
      true,
      true,
    ]);
    expect(["dev", "prod", "localish", "my-local"].map(isLocalClusterStack)).to.deep.equal([
      false,
      false,
      false,
      false,
    ]);
  });

  it("reads the exports of `cluster env`, quotes included", () => {
    const env = clusterEnvFromExports(parseExports(EXPORTS));
    expect(env.kubeconfig).to.equal("/cache/cluster/state/pki/admin.kubeconfig");
    expect(env.postgres).to.deep.equal({ host: "10.201.0.1", port: 5432, password: "it's-secret" });
    expect(env.objectStore.endpoint).to.equal("http://10.201.0.1:9000");
  });

  it("names what a cluster that is not up did not print", () => {
    expect(() => clusterEnvFromExports(parseExports("export PATH=/usr/bin"))).to.throw(
      /KUBECONFIG.*PGHOST.*npm run cluster -- up/,
    );
  });

  it("overrides only the engine's side and the kubeconfig; pods keep the committed names", () => {
    const env = clusterEnvFromExports(parseExports(EXPORTS));
    const overrides = localClusterOverrides(
      {
        postgres: { host: "postgresql.spark-infra.svc", port: 5432, adminHost: "x" },
        objectStore: { endpoint: "http://minio.spark-infra.svc:9000", bucket: "spark-logs" },
        kubernetes: { renderYamlToDirectory: "/tmp/out", apiServerPort: 6443 },
      },
      env,
    );
    expect(overrides).to.deep.equal({
      postgres: {
        host: "postgresql.spark-infra.svc",
        port: 5432,
        adminHost: "10.201.0.1",
        adminPort: 5432,
      },
      objectStore: {
        endpoint: "http://minio.spark-infra.svc:9000",
        bucket: "spark-logs",
        adminEndpoint: "http://10.201.0.1:9000",
      },
      kubernetes: { apiServerPort: 6443, kubeconfig: "/cache/cluster/state/pki/admin.kubeconfig" },
    });
  });
});
