import { expect } from "chai";
import {
  networkPolicyList,
  peerForHost,
  releaseNetworkPolicies,
} from "../../../../components/spark-release/networkPolicies";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";

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
