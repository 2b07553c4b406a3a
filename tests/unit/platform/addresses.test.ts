import { expect } from "chai";
import {
  networkPolicyList,
  peerForHost,
  releaseNetworkPolicies,
} from "../../../components/spark-release/networkPolicies";
import { parsePlatformConfig } from "../../../lib/config/parse";
import { baseValues, parseValid, rawConfig } from "../../support/stacks";

/** Base values with the postgres and objectStore objects edited. */
function withBackends(
  postgres: Record<string, unknown>,
  objectStore: Record<string, unknown>,
): ReturnType<typeof rawConfig> {
  const values = baseValues() as Record<string, Record<string, unknown>>;
  return rawConfig({
    ...values,
    postgres: { ...values["postgres"], ...postgres },
    objectStore: { ...values["objectStore"], ...objectStore },
  });
}

describe("config: where the engine connects versus where pods connect", () => {
  it("without admin keys the engine uses the pods' host, port and endpoint", () => {
    const config = parseValid(withBackends({}, {}));
    expect(config.postgres.admin).to.deep.equal({ host: "postgresql.spark-infra.svc", port: 5432 });
    expect(config.objectStore.admin).to.deep.equal({
      endpoint: "http://minio.spark-infra.svc:9000",
      host: "minio.spark-infra.svc",
      port: 9000,
      useSsl: false,
    });
  });

  it("adminHost/adminPort and adminEndpoint change only the engine's side", () => {
    const config = parseValid(
      withBackends(
        { adminHost: "10.201.0.1", adminPort: 15432 },
        { adminEndpoint: "https://10.201.0.1:19000" },
      ),
    );
    expect(config.postgres.host).to.equal("postgresql.spark-infra.svc");
    expect(config.postgres.admin).to.deep.equal({ host: "10.201.0.1", port: 15432 });
    expect(config.objectStore.endpoint).to.equal("http://minio.spark-infra.svc:9000");
    expect(config.objectStore.admin).to.include({ host: "10.201.0.1", port: 19000, useSsl: true });
  });

  it("refuses a malformed egress CIDR, naming the key", () => {
    const result = parsePlatformConfig(withBackends({ egressCidrs: ["10.201.0.1"] }, {}));
    expect(result.ok).to.equal(false);
    if (!result.ok) {
      expect(result.issues.map((i) => i.key).join(" ")).to.match(/postgres\.egressCidrs/);
    }
  });
});

describe("network policies: egress peers of shared services", () => {
  it("an in-cluster Service name becomes its namespace, an IP an ipBlock, explicit CIDRs win", () => {
    expect(peerForHost("postgresql.spark-infra.svc")).to.deep.equal([
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "spark-infra" } } },
    ]);
    expect(peerForHost("10.0.0.7")).to.deep.equal([{ ipBlock: { cidr: "10.0.0.7/32" } }]);
    expect(peerForHost("postgresql.spark-infra.svc", ["10.201.0.1/32"])).to.deep.equal([
      { ipBlock: { cidr: "10.201.0.1/32" } },
    ]);
    expect(peerForHost("db.example.com")).to.equal(undefined);
  });

  it("egressCidrs of postgres and the object store reach the release's allow policies", () => {
    const config = parseValid(
      withBackends({ egressCidrs: ["10.201.0.1/32"] }, { egressCidrs: ["10.201.0.1/32"] }),
    );
    const policies = networkPolicyList(releaseNetworkPolicies(config, config.releases[0]!));
    const egressOf = (suffix: string) =>
      policies.find((p) => p.metadata?.name?.endsWith(suffix))?.spec?.egress ?? [];
    expect(egressOf("allow-postgres")[0]?.to).to.deep.equal([
      { ipBlock: { cidr: "10.201.0.1/32" } },
    ]);
    expect(egressOf("allow-object-store")[0]?.to).to.deep.equal([
      { ipBlock: { cidr: "10.201.0.1/32" } },
    ]);
  });
});
