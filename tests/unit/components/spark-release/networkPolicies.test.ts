import { expect } from "chai";
import {
  networkPolicyList,
  peerForHost,
  releaseNetworkPolicies,
} from "../../../../components/spark-release/networkPolicies";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";
import { PER_RELEASE, withClients } from "../../../support/clientConfig";

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

describe("network policies: clients", () => {
  const config = parseValid(
    withClients(
      [{ namespace: "team-pipelines" }, { namespace: "airflow", serviceAccounts: ["worker"] }],
      [{ namespace: "airflow" }],
      PER_RELEASE,
    ),
  );
  const policiesOf = (index: number) => releaseNetworkPolicies(config, config.releases[index]!);
  const peer = (namespace: string, release: string) => ({
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
    podSelector: { matchLabels: { "spark-platform.io/client-of": release } },
  });

  it("standalone: one peer per granted namespace, pinned by name, in and out", () => {
    const spec = policiesOf(0)["allow-clients"]!.spec!;
    const expected = [peer("team-pipelines", "spark-35"), peer("airflow", "spark-35")];
    expect(spec.ingress).to.deep.equal([{ from: expected }]);
    expect(spec.egress).to.deep.equal([{ to: expected }]);
    expect(policiesOf(0)["allow-clients"]!.metadata?.name).to.equal("spark-35-allow-clients");
  });

  it("connect: the granted namespaces, to the server and History Server ports only", () => {
    const spec = policiesOf(1)["allow-clients"]!.spec!;
    expect(spec.ingress).to.deep.equal([
      {
        from: [peer("airflow", "spark-41")],
        ports: [15002, 4040, 18080].map((port) => ({ protocol: "TCP", port })),
      },
    ]);
    expect(spec.policyTypes).to.deep.equal(["Ingress"]);
  });

  it("no client granted: no allow-clients policy at all (default-deny already isolates)", () => {
    const none = parseValid(withClients([], undefined));
    for (const release of none.releases) {
      const policies = releaseNetworkPolicies(none, release);
      expect(policies).to.not.have.property("allow-clients");
      expect(Object.keys(policies)).to.include("default-deny");
    }
  });

  it("no policy of any release has a peer in every namespace", () => {
    for (const release of config.releases) {
      for (const policy of networkPolicyList(releaseNetworkPolicies(config, release))) {
        const peers = [
          ...(policy.spec?.ingress ?? []).flatMap((r) => r.from ?? []),
          ...(policy.spec?.egress ?? []).flatMap((r) => r.to ?? []),
        ];
        for (const p of peers) {
          if (p.namespaceSelector) {
            expect(p.namespaceSelector, policy.metadata?.name).to.not.deep.equal({});
          }
        }
      }
    }
  });
});
