import { expect } from "chai";
import {
  networkPolicyList,
  releaseNetworkPolicies,
} from "../../components/spark-release/networkPolicies";
import { releaseLabels, type Component } from "../../lib/kube/objects";
import { rawConfigFromStackFile } from "../../lib/config/sources";
import { stackFilePath } from "../../tools/cli/stackFiles";
import { CLIENT_PLACEMENT, UNGRANTED_NAMESPACE, type ReleaseName } from "./clients";
import {
  allowAllPolicy,
  cidrContains,
  COMPONENT_PORTS,
  expectedAccess,
  explain,
  formatTable,
  isSelf,
  meets,
  policyVerdict,
  selectorMatches,
  unverifiedTargets,
  violationMessage,
  type NetworkPolicyObject,
  type PolicyPod,
  type Probe,
  type Source,
  type Target,
} from "./network";
import { parseValid } from "../support/stacks";

/** The local stack (shared namespace spark), whose policies the live suite probes. */
const config = parseValid(rawConfigFromStackFile(stackFilePath("local")));
const release = (name: ReleaseName) => config.releases.find((r) => r.name === name)!;
const policies = config.releases.flatMap(
  (r) => networkPolicyList(releaseNetworkPolicies(config, r)) as unknown as NetworkPolicyObject[],
);
let ip = 10;
function pod(labels: Record<string, string>, namespace = "spark"): PolicyPod {
  return {
    namespace,
    labels,
    namespaceLabels: { "kubernetes.io/metadata.name": namespace },
    ip: `10.244.0.${ip++}`,
  };
}
/** A client pod as the live suite starts it: in the granted client namespace. */
const clientPod = (r: ReleaseName) =>
  pod({ "spark-platform.io/client-of": r }, CLIENT_PLACEMENT.namespace);
const releasePod = (r: ReleaseName, c: Component) => pod(releaseLabels(release(r), c));

/** Whether the product's policies admit a connection on both sides (no selecting policy: open). */
function admitted(src: PolicyPod, dst: PolicyPod, port: number, extra: NetworkPolicyObject[] = []) {
  const all = [...policies, ...extra];
  const egress = policyVerdict(all, "Egress", src, dst, port);
  const ingress = policyVerdict(all, "Ingress", dst, src, port);
  return (
    (egress.selecting.length === 0 || egress.admitting.length > 0) &&
    (ingress.selecting.length === 0 || ingress.admitting.length > 0)
  );
}

const COMPONENTS: Record<ReleaseName, Component[]> = {
  "spark-35": ["master", "worker", "metastore", "history"],
  "spark-41": ["connect", "executor", "metastore", "history"],
};

describe("live network: pure parts (tests/cluster/network.ts)", () => {
  it("label selectors: matchLabels and every matchExpressions operator", () => {
    const labels = { a: "1", b: "2" };
    expect(selectorMatches(undefined, labels)).to.equal(true);
    expect(selectorMatches({}, labels)).to.equal(true);
    expect(selectorMatches({ matchLabels: { a: "1" } }, labels)).to.equal(true);
    expect(selectorMatches({ matchLabels: { a: "2" } }, labels)).to.equal(false);
    const expr = (operator: string, values?: string[]) =>
      selectorMatches(
        { matchExpressions: [{ key: "b", operator, ...(values ? { values } : {}) }] },
        labels,
      );
    expect([
      expr("In", ["2"]),
      expr("In", ["3"]),
      expr("NotIn", ["2"]),
      expr("NotIn", ["3"]),
    ]).to.deep.equal([true, false, false, true]);
    expect([expr("Exists"), expr("DoesNotExist")]).to.deep.equal([true, false]);
  });

  it("CIDRs", () => {
    expect(cidrContains("10.201.0.1/32", "10.201.0.1")).to.equal(true);
    expect(cidrContains("10.201.0.1/32", "10.201.0.2")).to.equal(false);
    expect(cidrContains("10.244.0.0/24", "10.244.0.77")).to.equal(true);
    expect(cidrContains("0.0.0.0/0", "192.168.1.1")).to.equal(true);
  });

  it("the expectation model agrees with the product's own policies for every source, component and port", () => {
    const sources: { source: Pick<Source, "kind" | "release">; pod: PolicyPod }[] = [
      ...(["spark-35", "spark-41"] as const).flatMap((r) =>
        COMPONENTS[r].map((c) => ({
          source: { kind: "release" as const, release: r },
          pod: releasePod(r, c),
        })),
      ),
      ...(["spark-35", "spark-41"] as const).map((r) => ({
        source: { kind: "client" as const, release: r },
        pod: clientPod(r),
      })),
      { source: { kind: "none" as const }, pod: pod({ app: "something" }) },
    ];
    let allowed = 0;
    let blocked = 0;
    for (const r of ["spark-35", "spark-41"] as const) {
      for (const c of COMPONENTS[r]) {
        const dst = releasePod(r, c);
        for (const port of COMPONENT_PORTS[c] ?? []) {
          for (const s of sources) {
            const expected = expectedAccess(s.source, { release: r, component: c, port });
            const actual = admitted(s.pod, dst, port) ? "allowed" : "blocked";
            expect(
              actual,
              `${s.source.kind} ${s.source.release ?? ""} -> ${r} ${c}:${port}`,
            ).to.equal(expected);
            if (expected === "allowed") allowed++;
            else blocked++;
          }
        }
      }
    }
    expect(allowed).to.be.greaterThan(20);
    expect(blocked).to.be.greaterThan(50);
  });

  it("a Connect client reaches only gRPC, the driver UI and the History Server; a standalone client everything", () => {
    const client41 = { kind: "client" as const, release: "spark-41" as const };
    expect(
      expectedAccess(client41, { release: "spark-41", component: "connect", port: 15002 }),
    ).to.equal("allowed");
    expect(
      expectedAccess(client41, { release: "spark-41", component: "connect", port: 7078 }),
    ).to.equal("blocked");
    expect(
      expectedAccess(client41, { release: "spark-41", component: "metastore", port: 9083 }),
    ).to.equal("blocked");
    const client35 = { kind: "client" as const, release: "spark-35" as const };
    expect(
      expectedAccess(client35, { release: "spark-35", component: "metastore", port: 9083 }),
    ).to.equal("allowed");
    expect(
      expectedAccess(client35, { release: "spark-41", component: "connect", port: 15002 }),
    ).to.equal("blocked");
  });

  it("an allow-all policy on spark-41 admits what the platform blocks, and the explanation names it", () => {
    const extra = allowAllPolicy("spark-41", "spark", "itx") as unknown as NetworkPolicyObject;
    const client35 = clientPod("spark-35");
    const metastore41 = releasePod("spark-41", "metastore");
    expect(admitted(client35, metastore41, 9083)).to.equal(false);
    expect(admitted(client35, metastore41, 9083, [extra])).to.equal(true);
    const why = explain([...policies, extra], client35, [metastore41], 9083);
    expect(why).to.contain("egress: no policy selects the source");
    expect(why).to.contain("ingress admitted by spark/it-allow-all-itx (not the platform's)");
    expect(explain(policies, client35, [metastore41], 9083)).to.contain(
      "ingress admitted by nothing",
    );
    // The platform's own policies carry the source annotation: not flagged.
    const client41 = clientPod("spark-41");
    const connect = releasePod("spark-41", "connect");
    expect(explain(policies, client41, [connect], 15002)).to.match(
      /ingress admitted by spark\/spark-41-allow-clients($|,|;)/,
    );
  });

  it("the label alone opens nothing: a client pod outside its release's granted namespaces reaches no port", () => {
    for (const r of ["spark-35", "spark-41"] as const) {
      for (const namespace of [UNGRANTED_NAMESPACE[r], "spark", "default"]) {
        const stray = pod({ "spark-platform.io/client-of": r }, namespace);
        for (const c of COMPONENTS[r]) {
          for (const port of COMPONENT_PORTS[c] ?? []) {
            expect(
              admitted(stray, releasePod(r, c), port),
              `${r} ${c}:${port} from ${namespace}`,
            ).to.equal(false);
          }
        }
      }
    }
  });

  const source = (over: Partial<Source> = {}): Source => ({
    id: "client-of spark-35",
    kind: "client",
    release: "spark-35",
    namespace: "spark",
    pod: "it-net-client-spark-35-x",
    container: "client",
    labels: { "spark-platform.io/client-of": "spark-35" },
    ip: "10.244.0.50",
    ...over,
  });
  const target = (over: Partial<Target> = {}): Target => ({
    release: "spark-41",
    component: "metastore",
    kind: "pod",
    name: "spark-41-metastore-abc",
    namespace: "spark",
    host: "10.244.0.60",
    port: 9083,
    labels: {},
    ...over,
  });

  it("skips a source dialling itself (own IP or a Service that selects it)", () => {
    const master = source({
      kind: "release",
      labels: { "spark-platform.io/release": "spark-35", "app.kubernetes.io/component": "master" },
    });
    expect(isSelf(master, target({ host: master.ip }))).to.equal(true);
    expect(
      isSelf(
        master,
        target({
          kind: "service",
          labels: {
            "spark-platform.io/release": "spark-35",
            "app.kubernetes.io/component": "master",
          },
        }),
      ),
    ).to.equal(true);
    expect(
      isSelf(
        master,
        target({
          kind: "service",
          labels: {
            "spark-platform.io/release": "spark-35",
            "app.kubernetes.io/component": "worker",
          },
        }),
      ),
    ).to.equal(false);
  });

  it("a target no allowed source reached is unverified; messages and the table name release, source, target and result", () => {
    const probe = (over: Partial<Probe>): Probe => ({
      source: source(),
      target: target(),
      expected: "blocked",
      outcome: "timeout",
      ms: 3000,
      attempts: 1,
      ...over,
    });
    const blockedOnly = [probe({})];
    expect(unverifiedTargets(blockedOnly)).to.deep.equal([
      "spark-41 metastore pod spark-41-metastore-abc:9083",
    ]);
    const reached = [
      ...blockedOnly,
      probe({
        source: source({ id: "spark-41 connect", kind: "release", release: "spark-41" }),
        expected: "allowed",
        outcome: "open",
      }),
    ];
    expect(unverifiedTargets(reached)).to.deep.equal([]);
    expect(meets(probe({ outcome: "refused" }))).to.equal(true);
    expect(meets(probe({ outcome: "open" }))).to.equal(false);
    const broken = probe({ outcome: "open" });
    expect(
      violationMessage(broken, "ingress admitted by spark/it-allow-all-x (not the platform's)"),
    ).to.equal(
      "spark-41 isolation broken: client-of spark-35 (pod spark/it-net-client-spark-35-x) -> spark-41 metastore pod spark-41-metastore-abc:9083 open, expected blocked; ingress admitted by spark/it-allow-all-x (not the platform's)",
    );
    const table = formatTable([broken, probe({ target: target({ port: 9084 }) })]);
    expect(table).to.contain("9083: block -> open !!, 9084: block -> timeout");
  });
});
