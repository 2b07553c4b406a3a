import { expect } from "chai";
import {
  allowMetrics,
  networkPolicyList,
  peerForHost,
  releaseNetworkPolicies,
} from "../../../../components/spark-release/networkPolicies";
import { NetworkModel } from "../../../../lib/kube/analysis/networkPolicy";
import { releaseLabels, type Component } from "../../../../lib/kube/objects";
import { PORTS } from "../../../../lib/naming/names";
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

describe("network policies: metrics", () => {
  const monitored = parseValid(
    rawConfig({ ...baseValues(), monitoring: { namespace: "monitoring", podMonitors: false } }),
  );
  const [standalone, connect] = monitored.releases as [
    (typeof monitored.releases)[0],
    (typeof monitored.releases)[0],
  ];
  const model = new NetworkModel(
    monitored.releases.flatMap((r) => networkPolicyList(releaseNetworkPolicies(monitored, r))),
  );
  const pod = (release: typeof standalone, component: Component) => ({
    namespace: release.namespace,
    labels: releaseLabels(release, component),
  });
  const prometheus = { namespace: "monitoring", labels: { app: "prometheus" } };
  const elsewhere = { namespace: "team-pipelines", labels: { app: "prometheus" } };
  /** Every port of every Spark and metastore pod that matters, as `what:port`. */
  const targets: [string, ReturnType<typeof pod>, number][] = [
    ["spark-35 master", pod(standalone, "master"), PORTS.masterRpc],
    ["spark-35 master", pod(standalone, "master"), PORTS.masterUi],
    ["spark-35 worker", pod(standalone, "worker"), PORTS.workerRpc],
    ["spark-35 worker", pod(standalone, "worker"), PORTS.workerUi],
    ["spark-35 metastore", pod(standalone, "metastore"), PORTS.metastoreThrift],
    ["spark-35 history", pod(standalone, "history"), PORTS.historyUi],
    ["spark-41 connect", pod(connect, "connect"), PORTS.connectGrpc],
    ["spark-41 connect", pod(connect, "connect"), PORTS.driverUi],
    ["spark-41 connect", pod(connect, "connect"), PORTS.blockManager],
    ["spark-41 executor", pod(connect, "executor"), PORTS.blockManager],
    ["spark-41 history", pod(connect, "history"), PORTS.historyUi],
  ];
  const opened = (from: typeof prometheus) =>
    targets
      .filter(([, to, port]) => model.canReach(from, to, port))
      .map(([what, , port]) => `${what}:${port}`);

  it("the monitoring namespace reaches exactly the metrics ports: master and worker UIs, the Connect server's driver UI", () => {
    expect(opened(prometheus)).to.deep.equal([
      `spark-35 master:${PORTS.masterUi}`,
      `spark-35 worker:${PORTS.workerUi}`,
      `spark-41 connect:${PORTS.driverUi}`,
    ]);
  });

  it("negative control: any other namespace reaches none of them", () => {
    expect(opened(elsewhere)).to.deep.equal([]);
  });

  it("one allow-metrics policy per release, TCP only, its one peer pinned by name", () => {
    for (const release of monitored.releases) {
      const policy = allowMetrics(monitored, release)!;
      expect(policy.metadata?.name).to.equal(`${release.name}-allow-metrics`);
      expect(policy.spec?.policyTypes).to.deep.equal(["Ingress"]);
      expect(policy.spec?.ingress).to.have.length(1);
      expect(policy.spec?.ingress?.[0]?.from).to.deep.equal([
        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } },
      ]);
      expect(policy.spec?.ingress?.[0]?.ports?.every((p) => p.protocol === "TCP")).to.equal(true);
    }
  });

  it("monitoring absent: no allow-metrics policy, and the same policies as before", () => {
    const without = parseValid(rawConfig(baseValues()));
    for (const release of without.releases) {
      expect(allowMetrics(without, release)).to.equal(undefined);
      const purposes = Object.keys(releaseNetworkPolicies(without, release));
      const monitoredPurposes = Object.keys(
        releaseNetworkPolicies(monitored, monitored.releases[release.index]!),
      );
      expect(purposes).not.to.include("allow-metrics");
      expect(monitoredPurposes).to.deep.equal([...purposes, "allow-metrics"]);
    }
  });
});
