// Live check "isolation asserted on the live system": real TCP connections,
// enforced by the cluster's NetworkPolicy implementation (kube-router), from
//   - every running pod of each release (kubectl exec, python3 in the pod's own image),
//   - a client pod of each release (labelled spark-platform.io/client-of: <release>, in the
//     granted client namespace under the granted ServiceAccount: CLIENT_PLACEMENT),
//   - a pod without any client label in each release namespace,
// to every port of every pod and Service of both releases. Expected: a release's pods reach
// their own release only; a client reaches its own release only (a Connect client only the
// server's gRPC/UI ports and the History Server); the unlabelled pod reaches nothing. A
// blocked result only counts for a port some allowed source actually reached (otherwise
// "blocked" could mean "nothing listens"). Unexpected results are re-probed twice (kube-
// router installs a new pod's rules a moment after it starts) and each violation names the
// release and the NetworkPolicies that admitted (or failed to admit) the connection.
// `npx tsx tests/cluster/network.ts --run [--negative]` runs it against the `local` stack.
import { RELEASE_LABEL, SOURCE_ANNOTATION } from "../../lib/kube/objects";
import { PORTS } from "../../lib/naming/names";
import {
  CLIENT_PLACEMENT,
  ensureClientNamespaces,
  localStackConfig,
  clientSleeperPod,
  create,
  deleteRun,
  exec,
  newRunId,
  PYSPARK_CLIENT_IMAGE,
  readScript,
  RELEASES,
  sleeperPod,
  waitForPod,
  IT_RUN_LABEL,
  type NamespaceOf,
  type ReleaseName,
} from "./clients";
import { expect } from "chai";
import { getItems, kubectl, note, type KubeObject } from "./support";

// ---------------------------------------------------------------------------------------
// Pure parts

export type Mode = "standalone" | "connect";
export const MODES: Readonly<Record<ReleaseName, Mode>> = {
  "spark-35": "standalone",
  "spark-41": "connect",
};

/** Ports of each component the brief names, probed even when a pod does not declare them. */
export const COMPONENT_PORTS: Readonly<Record<string, readonly number[]>> = {
  master: [PORTS.masterRpc, PORTS.masterUi],
  worker: [PORTS.workerUi],
  connect: [PORTS.connectGrpc, PORTS.driverUi, PORTS.driverRpc, PORTS.blockManager],
  executor: [PORTS.blockManager],
  metastore: [PORTS.metastoreThrift],
  history: [PORTS.historyUi],
};
/** What a Connect release admits from its clients (components/spark-release/networkPolicies.ts). */
export const CONNECT_CLIENT_PORTS: Readonly<Record<string, readonly number[]>> = {
  connect: [PORTS.connectGrpc, PORTS.driverUi],
  history: [PORTS.historyUi],
};

export type SourceKind = "release" | "client" | "none";

export interface Source {
  /** Display name: `spark-35 master`, `client-of spark-35`, `no client label`. */
  readonly id: string;
  readonly kind: SourceKind;
  readonly release?: ReleaseName;
  readonly component?: string;
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ip: string;
}

export interface Target {
  readonly release: ReleaseName;
  readonly component: string;
  readonly kind: "pod" | "service";
  readonly name: string;
  readonly namespace: string;
  /** What the probe dials: a pod IP or a Service's DNS name. */
  readonly host: string;
  readonly port: number;
  /** Labels of the pod (pod targets) or the Service's selector (service targets). */
  readonly labels: Readonly<Record<string, string>>;
}

export type Outcome = "open" | "refused" | "timeout" | "unreachable" | "dns" | "error";
export type Expectation = "allowed" | "blocked";

export interface Probe {
  readonly source: Source;
  readonly target: Target;
  readonly expected: Expectation;
  readonly outcome: Outcome;
  readonly ms: number;
  /** Probes of this pair (1 + re-probes of an unexpected result). */
  readonly attempts: number;
}

/** What the platform's policies are meant to allow, by who the source is. */
export function expectedAccess(
  source: Pick<Source, "kind" | "release">,
  target: Pick<Target, "release" | "component" | "port">,
  modes: Readonly<Record<ReleaseName, Mode>> = MODES,
): Expectation {
  if (source.kind === "none" || source.release !== target.release) return "blocked";
  if (source.kind === "release") return "allowed";
  if (modes[target.release] === "standalone") return "allowed";
  return (CONNECT_CLIENT_PORTS[target.component] ?? []).includes(target.port)
    ? "allowed"
    : "blocked";
}

export const isOpen = (o: Outcome): boolean => o === "open";
export const meets = (p: Pick<Probe, "expected" | "outcome">): boolean =>
  (p.expected === "allowed") === isOpen(p.outcome);

/** Whether a source dialling a target would hit itself (own IP, or a Service in front of it). */
export function isSelf(source: Source, target: Target): boolean {
  if (target.kind === "pod") return target.host === source.ip;
  return (
    target.namespace === source.namespace &&
    Object.keys(target.labels).length > 0 &&
    Object.entries(target.labels).every(([k, v]) => source.labels[k] === v)
  );
}

export const targetId = (t: Target): string =>
  `${t.release} ${t.component} ${t.kind} ${t.name}:${t.port}`;

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Kubernetes label-selector semantics (an empty selector matches everything). */
export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {}))
    if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const value = labels[e.key];
    const values = e.values ?? [];
    if (e.operator === "In" && !(has && values.includes(value!))) return false;
    if (e.operator === "NotIn" && has && values.includes(value!)) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

function ipToInt(ip: string): number {
  return ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bits] = cidr.split("/");
  const size = Number(bits ?? 32);
  const mask = size === 0 ? 0 : 2 ** 32 - 2 ** (32 - size);
  return (ipToInt(base!) & mask) >>> 0 === (ipToInt(ip) & mask) >>> 0;
}

/** A pod as NetworkPolicies see it. */
export interface PolicyPod {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly ip: string;
  /** Named container ports, for policies that name ports. */
  readonly namedPorts?: Readonly<Record<string, number>>;
}

interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}
interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
  ports?: PolicyPort[];
}
export interface NetworkPolicyObject {
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  spec: {
    podSelector?: LabelSelector;
    policyTypes?: string[];
    ingress?: PolicyRule[];
    egress?: PolicyRule[];
  };
}

function peerMatches(peer: PolicyPeer, policyNamespace: string, pod: PolicyPod): boolean {
  if (peer.ipBlock) {
    return (
      cidrContains(peer.ipBlock.cidr, pod.ip) &&
      !(peer.ipBlock.except ?? []).some((c) => cidrContains(c, pod.ip))
    );
  }
  const nsOk = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, pod.namespaceLabels)
    : pod.namespace === policyNamespace;
  return nsOk && selectorMatches(peer.podSelector, pod.labels);
}

function portMatches(ports: PolicyPort[] | undefined, port: number, dest: PolicyPod): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? "TCP") !== "TCP") return false;
    if (p.port === undefined) return true;
    const n = typeof p.port === "number" ? p.port : dest.namedPorts?.[p.port];
    if (n === undefined) return false;
    return p.endPort ? port >= n && port <= p.endPort : port === n;
  });
}

function policyTypes(p: NetworkPolicyObject): string[] {
  return p.spec.policyTypes ?? (p.spec.egress ? ["Ingress", "Egress"] : ["Ingress"]);
}

/**
 * Policies that select `selected` for one direction, and those of them that admit the
 * connection from/to `peer` on `port` (the destination pod resolves named ports).
 */
export function policyVerdict(
  policies: readonly NetworkPolicyObject[],
  direction: "Ingress" | "Egress",
  selected: PolicyPod,
  peer: PolicyPod,
  port: number,
): { selecting: string[]; admitting: string[] } {
  const selecting = policies.filter(
    (p) =>
      p.metadata.namespace === selected.namespace &&
      policyTypes(p).includes(direction) &&
      selectorMatches(p.spec.podSelector, selected.labels),
  );
  const dest = direction === "Ingress" ? selected : peer;
  const admitting = selecting.filter((p) =>
    (direction === "Ingress" ? (p.spec.ingress ?? []) : (p.spec.egress ?? [])).some(
      (rule) =>
        portMatches(rule.ports, port, dest) &&
        (() => {
          const peers = direction === "Ingress" ? rule.from : rule.to;
          return (
            !peers ||
            peers.length === 0 ||
            peers.some((x) => peerMatches(x, p.metadata.namespace, peer))
          );
        })(),
    ),
  );
  const id = (p: NetworkPolicyObject) =>
    `${p.metadata.namespace}/${p.metadata.name}${p.metadata.annotations?.[SOURCE_ANNOTATION] ? "" : " (not the platform's)"}`;
  return { selecting: selecting.map(id), admitting: admitting.map(id) };
}

/**
 * Which policies explain a connection: on the egress side (the source pod) and the
 * ingress side (the destination pod). A side with no selecting policy allows everything.
 */
export function explain(
  policies: readonly NetworkPolicyObject[],
  source: PolicyPod,
  destinations: readonly PolicyPod[],
  port: number,
): string {
  const parts: string[] = [];
  const egress = policyVerdict(policies, "Egress", source, destinations[0] ?? source, port);
  parts.push(
    egress.selecting.length === 0
      ? "egress: no policy selects the source"
      : egress.admitting.length
        ? `egress admitted by ${egress.admitting.join(", ")}`
        : `egress admitted by nothing (selecting: ${egress.selecting.join(", ")})`,
  );
  for (const d of destinations) {
    const ingress = policyVerdict(policies, "Ingress", d, source, port);
    parts.push(
      ingress.selecting.length === 0
        ? "ingress: no policy selects the destination"
        : ingress.admitting.length
          ? `ingress admitted by ${ingress.admitting.join(", ")}`
          : `ingress admitted by nothing (selecting: ${ingress.selecting.join(", ")})`,
    );
  }
  return [...new Set(parts)].join("; ");
}

export interface Violation {
  /** The release whose isolation (or needed flow) the result breaks. */
  readonly release: ReleaseName;
  readonly source: string;
  readonly target: string;
  readonly expected: Expectation;
  readonly outcome: Outcome;
  /** NetworkPolicies that admitted / selected the connection (names the broken object). */
  readonly policies: string;
  readonly message: string;
}

export function violationMessage(p: Probe, policies: string): string {
  const what =
    p.expected === "blocked"
      ? `${p.target.release} isolation broken`
      : `${p.target.release} needed flow broken`;
  return `${what}: ${p.source.id} (pod ${p.source.namespace}/${p.source.pod}) -> ${targetId(p.target)} ${p.outcome}, expected ${p.expected}; ${policies}`;
}

/** Targets no allowed source reached: their "blocked" results prove nothing. */
export function unverifiedTargets(probes: readonly Probe[]): string[] {
  const reached = new Set(
    probes
      .filter((p) => p.expected === "allowed" && isOpen(p.outcome))
      .map((p) => targetId(p.target)),
  );
  const all = [...new Set(probes.map((p) => targetId(p.target)))];
  return all.filter((t) => !reached.has(t));
}

const mark = (p: Probe) => `${isOpen(p.outcome) ? "open" : p.outcome}${meets(p) ? "" : " !!"}`;

/** One line per source and target object: `port expected/result` for each of its ports. */
export function formatTable(probes: readonly Probe[]): string {
  const rows = new Map<string, Probe[]>();
  for (const p of probes) {
    // Keyed by the source pod, so two pods of one component (executors) get their own rows.
    const key = `${p.source.namespace}/${p.source.pod}|${p.target.namespace}/${p.target.kind}/${p.target.name}`;
    rows.set(key, [...(rows.get(key) ?? []), p]);
  }
  const lines = [`${"source".padEnd(28)}    ${"target".padEnd(52)} port: expected -> result`];
  for (const ps of rows.values()) {
    const { source, target } = ps[0]!;
    const row = `${source.id.padEnd(28)} -> ${`${target.release} ${target.kind} ${target.name}`.padEnd(52)}`;
    lines.push(
      `${row} ${ps.map((p) => `${p.target.port}: ${p.expected === "allowed" ? "allow" : "block"} -> ${mark(p)}`).join(", ")}`,
    );
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------
// Live parts

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const componentOf = (labels: Readonly<Record<string, string>>) =>
  labels["app.kubernetes.io/component"] ?? "?";

interface LivePod {
  readonly object: KubeObject;
  readonly labels: Record<string, string>;
  readonly ip: string;
  readonly namespace: string;
  readonly container: string;
  readonly ports: number[];
  readonly namedPorts: Record<string, number>;
}

function livePod(o: KubeObject): LivePod {
  const containers = (o.spec?.["containers"] ?? []) as {
    name: string;
    ports?: { name?: string; containerPort: number; protocol?: string }[];
  }[];
  const ports = containers
    .flatMap((c) => c.ports ?? [])
    .filter((p) => (p.protocol ?? "TCP") === "TCP");
  return {
    object: o,
    labels: { ...(o.metadata.labels ?? {}) },
    ip: String(o.status?.["podIP"] ?? ""),
    namespace: o.metadata.namespace ?? "",
    container: containers[0]?.name ?? "",
    ports: ports.map((p) => p.containerPort),
    namedPorts: Object.fromEntries(
      ports.filter((p) => p.name).map((p) => [p.name!, p.containerPort]),
    ),
  };
}

const running = (o: KubeObject) =>
  o.status?.["phase"] === "Running" && !o.metadata.ownerReferences?.some((r) => r.kind === "Job");

/** The live system, as far as the probes are concerned. */
interface World {
  readonly pods: LivePod[];
  readonly policies: NetworkPolicyObject[];
  readonly namespaceLabels: Record<string, Record<string, string>>;
  readonly targets: Target[];
}

/** The release namespaces and the client namespaces whose pods probe (their policies too). */
async function readWorld(
  namespaceOf: NamespaceOf,
  clientNamespaces: readonly string[],
): Promise<World> {
  const namespaces = [...new Set([...Object.values(namespaceOf), ...clientNamespaces])];
  const pods: LivePod[] = [];
  const policies: NetworkPolicyObject[] = [];
  const targets: Target[] = [];
  const nsList = JSON.parse((await kubectl(["get", "namespaces", "-o", "json"])).stdout) as {
    items: KubeObject[];
  };
  const namespaceLabels = Object.fromEntries(
    nsList.items.map((n) => [n.metadata.name, { ...(n.metadata.labels ?? {}) }]),
  );
  for (const ns of namespaces) {
    pods.push(...(await getItems("pods", ns)).filter(running).map(livePod));
    policies.push(
      ...((await getItems(
        "networkpolicies.networking.k8s.io",
        ns,
      )) as unknown as NetworkPolicyObject[]),
    );
  }
  for (const release of RELEASES) {
    const ns = namespaceOf[release];
    for (const pod of pods.filter(
      (p) => p.namespace === ns && p.labels[RELEASE_LABEL] === release,
    )) {
      const component = componentOf(pod.labels);
      const ports = [...new Set([...pod.ports, ...(COMPONENT_PORTS[component] ?? [])])].sort(
        (a, b) => a - b,
      );
      for (const port of ports) {
        targets.push({
          release,
          component,
          kind: "pod",
          name: pod.object.metadata.name,
          namespace: ns,
          host: pod.ip,
          port,
          labels: pod.labels,
        });
      }
    }
    for (const svc of await getItems("services", ns, `${RELEASE_LABEL}=${release}`)) {
      const spec = svc.spec as {
        selector?: Record<string, string>;
        ports?: { port: number; protocol?: string }[];
      };
      const selector = spec.selector ?? {};
      for (const p of (spec.ports ?? []).filter((x) => (x.protocol ?? "TCP") === "TCP")) {
        targets.push({
          release,
          component:
            selector["app.kubernetes.io/component"] ?? componentOf(svc.metadata.labels ?? {}),
          kind: "service",
          name: svc.metadata.name,
          namespace: ns,
          host: `${svc.metadata.name}.${ns}.svc`,
          port: p.port,
          labels: selector,
        });
      }
    }
  }
  return { pods, policies, namespaceLabels, targets };
}

function sourceOf(pod: LivePod, kind: SourceKind, release?: ReleaseName): Source {
  const id =
    kind === "release"
      ? `${release} ${componentOf(pod.labels)}`
      : kind === "client"
        ? `client-of ${release}`
        : "no client label";
  return {
    id: kind === "none" ? `${id} (${pod.namespace})` : id,
    kind,
    ...(release ? { release } : {}),
    ...(kind === "release" ? { component: componentOf(pod.labels) } : {}),
    namespace: pod.namespace,
    pod: pod.object.metadata.name,
    container: pod.container,
    labels: pod.labels,
    ip: pod.ip,
  };
}

type RawResult = [string, number, Outcome, number, string];

async function probeFrom(source: Source, targets: readonly Target[]): Promise<RawResult[]> {
  const list = JSON.stringify(targets.map((t) => [t.host, t.port]));
  const out = await exec(source.namespace, source.pod, source.container, [
    "python3",
    "-c",
    readScript("tcp_probe.py"),
    list,
    "3",
  ]);
  return JSON.parse(out) as RawResult[];
}

function toPolicyPod(pod: LivePod, world: World): PolicyPod {
  return {
    namespace: pod.namespace,
    labels: pod.labels,
    namespaceLabels: world.namespaceLabels[pod.namespace] ?? {},
    ip: pod.ip,
    namedPorts: pod.namedPorts,
  };
}

function destinationsOf(target: Target, world: World): LivePod[] {
  if (target.kind === "pod") return world.pods.filter((p) => p.ip === target.host);
  return world.pods.filter(
    (p) =>
      p.namespace === target.namespace &&
      selectorMatches({ matchLabels: { ...target.labels } }, p.labels),
  );
}

export interface NetworkReport {
  readonly runId: string;
  readonly probes: Probe[];
  readonly violations: Violation[];
  /** Targets no allowed source reached (a failure: their blocked results prove nothing). */
  readonly unverified: string[];
  /** Sources that could not run the probe (no python3, exec refused): a failure. */
  readonly unprobed: string[];
  readonly table: string;
  readonly seconds: number;
}

/** A run's own client pods, created once and reused by the check and its negative control. */
export interface NetworkSession {
  readonly runId: string;
  readonly namespaceOf: NamespaceOf;
  readonly clients: { pod: string; namespace: string; kind: SourceKind; release?: ReleaseName }[];
  readonly readyAt: number;
}

/** The release images as their live front Deployments name them. */
async function releaseImage(release: ReleaseName, namespace: string): Promise<string> {
  const name = release === "spark-35" ? "spark-35-master" : "spark-41-connect";
  const out = await kubectl([
    "get",
    "deployment",
    name,
    "-n",
    namespace,
    "-o",
    "jsonpath={.spec.template.spec.containers[0].image}",
  ]);
  return out.stdout.trim();
}

export async function openSession(
  namespaceOf: NamespaceOf,
  runId = newRunId(),
): Promise<NetworkSession> {
  const clients: NetworkSession["clients"][number][] = [];
  for (const r of RELEASES) {
    const image = r === "spark-35" ? await releaseImage(r, namespaceOf[r]) : PYSPARK_CLIENT_IMAGE;
    clients.push({
      pod: `it-net-client-${r}-${runId}`,
      namespace: CLIENT_PLACEMENT.namespace,
      kind: "client",
      release: r,
    });
    await create(clientSleeperPod(`it-net-client-${r}-${runId}`, runId, image, r));
  }
  for (const ns of new Set(Object.values(namespaceOf))) {
    const name = `it-net-nolabel-${runId}`;
    clients.push({ pod: name, namespace: ns, kind: "none" });
    await create(sleeperPod(name, ns, runId, PYSPARK_CLIENT_IMAGE, undefined));
  }
  for (const c of clients) await waitForPod(c.namespace, c.pod, "ready", 180_000);
  return { runId, namespaceOf, clients, readyAt: Date.now() };
}

export async function closeSession(session: NetworkSession): Promise<void> {
  await deleteRun(session.runId, [
    ...Object.values(session.namespaceOf),
    ...session.clients.map((c) => c.namespace),
  ]);
}

export interface NetworkOptions {
  readonly log?: (line: string) => void;
  /** Re-probes of an unexpected result, 10 s apart (kube-router's rule installation lag). */
  readonly retries?: number;
}

/** Probes every source against every target once the session's pods are filtered. */
export async function probeAll(
  session: NetworkSession,
  options: NetworkOptions = {},
): Promise<NetworkReport> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  // kube-router filters a new pod a few seconds after it gets its IP.
  const settle = session.readyAt + 10_000 - Date.now();
  if (settle > 0) await sleep(settle);
  const world = await readWorld(session.namespaceOf, [
    ...new Set(session.clients.map((c) => c.namespace)),
  ]);
  const sources: Source[] = [];
  for (const r of RELEASES) {
    for (const pod of world.pods.filter(
      (p) => p.namespace === session.namespaceOf[r] && p.labels[RELEASE_LABEL] === r,
    )) {
      sources.push(sourceOf(pod, "release", r));
    }
  }
  for (const c of session.clients) {
    const pod = world.pods.find(
      (p) => p.namespace === c.namespace && p.object.metadata.name === c.pod,
    );
    if (pod) sources.push(sourceOf(pod, c.kind, c.release));
  }
  const unprobed: string[] = [];
  const results = new Map<string, Probe>();
  const key = (s: Source, t: Target) => `${s.namespace}/${s.pod}|${t.host}|${t.port}`;
  const runRound = async (pairs: { source: Source; target: Target }[], attempt: number) => {
    const bySource = new Map<Source, Target[]>();
    for (const { source, target } of pairs)
      bySource.set(source, [...(bySource.get(source) ?? []), target]);
    await Promise.all(
      [...bySource.entries()].map(async ([source, targets]) => {
        try {
          const raw = await probeFrom(source, targets);
          targets.forEach((target, i) => {
            const r = raw[i]!;
            results.set(key(source, target), {
              source,
              target,
              expected: expectedAccess(source, target),
              outcome: r[2],
              ms: r[3],
              attempts: attempt,
            });
          });
        } catch (e) {
          if (attempt === 1)
            unprobed.push(`${source.id} (${source.pod}): ${(e as Error).message.split("\n")[0]}`);
        }
      }),
    );
  };
  const pairs = sources.flatMap((source) =>
    world.targets.filter((t) => !isSelf(source, t)).map((target) => ({ source, target })),
  );
  log(`${sources.length} sources x ${world.targets.length} targets: ${pairs.length} probes`);
  await runRound(pairs, 1);
  for (let attempt = 2; attempt <= 1 + (options.retries ?? 2); attempt++) {
    const again = [...results.values()].filter((p) => !meets(p));
    if (again.length === 0) break;
    log(`re-probing ${again.length} unexpected result(s) in 10 s`);
    await sleep(10_000);
    await runRound(
      again.map((p) => ({ source: p.source, target: p.target })),
      attempt,
    );
  }
  const probes = [...results.values()];
  const podByName = new Map(world.pods.map((p) => [`${p.namespace}/${p.object.metadata.name}`, p]));
  const violations: Violation[] = probes
    .filter((p) => !meets(p))
    .map((p) => {
      const src = podByName.get(`${p.source.namespace}/${p.source.pod}`)!;
      const dests = destinationsOf(p.target, world).map((d) => toPolicyPod(d, world));
      const policies = explain(world.policies, toPolicyPod(src, world), dests, p.target.port);
      return {
        release: p.target.release,
        source: p.source.id,
        target: targetId(p.target),
        expected: p.expected,
        outcome: p.outcome,
        policies,
        message: violationMessage(p, policies),
      };
    });
  return {
    runId: session.runId,
    probes,
    violations,
    unverified: unverifiedTargets(probes),
    unprobed,
    table: formatTable(probes),
    seconds: Math.round((Date.now() - started) / 1000),
  };
}

/** Every complaint of a report, one line each (empty: isolation holds). */
export function networkComplaints(report: NetworkReport): string[] {
  return [
    ...report.violations.map((v) => v.message),
    ...report.unverified.map(
      (t) => `${t}: no allowed source reached it, so its blocked results prove nothing`,
    ),
    ...report.unprobed.map((s) => `cannot probe from ${s}`),
  ];
}

/** The whole check: own client pods, probes, cleanup. */
export async function checkNetwork(
  namespaceOf: NamespaceOf,
  options: NetworkOptions = {},
): Promise<NetworkReport> {
  const session = await openSession(namespaceOf);
  try {
    return await probeAll(session, options);
  } finally {
    await closeSession(session);
  }
}

/** An allow-all NetworkPolicy for one release's pods: the deliberately broken setting. */
export function allowAllPolicy(
  release: ReleaseName,
  namespace: string,
  runId: string,
): Record<string, unknown> {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: `it-allow-all-${runId}`, namespace, labels: { [IT_RUN_LABEL]: runId } },
    spec: {
      podSelector: { matchLabels: { [RELEASE_LABEL]: release } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [{}],
      egress: [{}],
    },
  };
}

export interface NegativeControl {
  readonly broken: NetworkReport;
  /** The check failed, and its complaints name the release and the allow-all policy. */
  readonly failedAsExpected: boolean;
  readonly namesRelease: boolean;
  readonly namesObject: boolean;
  readonly policy: string;
  /** The check after the policy was deleted (passes again). */
  readonly restored?: NetworkReport;
}

/**
 * Negative control: with an extra allow-all policy on `release`'s pods the check must fail
 * and name that release and that policy; after deleting it, the check passes again.
 */
export async function networkNegativeControl(
  namespaceOf: NamespaceOf,
  release: ReleaseName = "spark-41",
  options: NetworkOptions & { readonly recheck?: boolean } = {},
): Promise<NegativeControl> {
  const log = options.log ?? (() => {});
  const session = await openSession(namespaceOf);
  const policy = allowAllPolicy(release, namespaceOf[release], session.runId);
  const policyName = (policy["metadata"] as { name: string }).name;
  try {
    await create(policy);
    log(`applied ${namespaceOf[release]}/${policyName}; waiting for kube-router to apply it`);
    await sleep(15_000);
    const broken = await probeAll(session, { ...options, retries: 1 });
    const complaints = networkComplaints(broken);
    const named = broken.violations.filter(
      (v) => v.release === release && v.policies.includes(policyName),
    );
    await kubectl([
      "delete",
      "networkpolicy",
      policyName,
      "-n",
      namespaceOf[release],
      "--ignore-not-found",
    ]);
    log(`deleted ${policyName}`);
    let restored: NetworkReport | undefined;
    if (options.recheck ?? true) {
      await sleep(15_000);
      restored = await probeAll(session, options);
    }
    return {
      broken,
      failedAsExpected: complaints.length > 0,
      namesRelease:
        broken.violations.length > 0 && broken.violations.every((v) => v.release === release),
      namesObject: named.length > 0,
      policy: `${namespaceOf[release]}/${policyName}`,
      ...(restored ? { restored } : {}),
    };
  } finally {
    await closeSession(session);
  }
}

/**
 * For the platform suite: plain `it`s (call inside a stack's describe, after readiness and
 * before restarts or destroy). The negative control adds about 80 s.
 */
export function networkChecks(
  namespaceOf: NamespaceOf,
  options: { readonly negativeControl?: boolean } = {},
): void {
  it("network: releases, their clients (from the granted client namespace) and unlabelled pods reach exactly what the policies allow (real TCP connects)", async function () {
    this.timeout(10 * 60_000);
    const report = await checkNetwork(namespaceOf, { log: (l) => note(`network: ${l}`) });
    note(`network: ${report.probes.length} probes in ${report.seconds}s`);
    console.log(report.table);
    expect(networkComplaints(report), report.table).to.deep.equal([]);
  });
  if (options.negativeControl ?? true) {
    it("network negative control: an extra allow-all policy on spark-41's pods fails the check, naming spark-41 and the policy", async function () {
      this.timeout(10 * 60_000);
      const control = await networkNegativeControl(namespaceOf, "spark-41", {
        log: (l) => note(`network: ${l}`),
      });
      note(`network: ${control.broken.violations.length} violation(s) with ${control.policy}`);
      expect(control.failedAsExpected, "the broken setting fails the check").to.equal(true);
      expect(control.namesRelease, "every violation names spark-41").to.equal(true);
      expect(control.namesObject, `a violation names ${control.policy}`).to.equal(true);
      expect(control.restored && networkComplaints(control.restored)).to.deep.equal([]);
    });
  }
}

// ---------------------------------------------------------------------------------------
// Self-test: npx tsx tests/cluster/network.ts --run [--negative]

function printReport(title: string, report: NetworkReport): void {
  console.log(`== ${title}: ${report.probes.length} probes in ${report.seconds}s`);
  console.log(report.table);
  const complaints = networkComplaints(report);
  console.log(complaints.length ? complaints.map((c) => `!! ${c}`).join("\n") : "no violations");
}

/** `--prod`: the local-prod layout (one namespace per release); default: local (spark). */
const NAMESPACES_FROM_ARGV = process.argv.includes("--prod")
  ? { "spark-35": "spark-35", "spark-41": "spark-41" }
  : { "spark-35": "spark", "spark-41": "spark" };

if (require.main === module && process.argv.includes("--run")) {
  void (async () => {
    await ensureClientNamespaces(
      localStackConfig(process.argv.includes("--prod") ? "local-prod" : "local"),
    );
    const namespaceOf = NAMESPACES_FROM_ARGV;
    const log = (l: string) => console.log(`[network] ${l}`);
    const report = await checkNetwork(namespaceOf, { log });
    printReport("isolation", report);
    let ok = networkComplaints(report).length === 0;
    if (process.argv.includes("--negative")) {
      const control = await networkNegativeControl(namespaceOf, "spark-41", { log });
      console.log(`== negative control (${control.policy})`);
      for (const v of control.broken.violations.slice(0, 20)) console.log(`!! ${v.message}`);
      console.log(
        `${control.broken.violations.length} violation(s); failed as expected: ${control.failedAsExpected}, names the release: ${control.namesRelease}, names the policy: ${control.namesObject}`,
      );
      if (control.restored) printReport("after deleting the policy", control.restored);
      ok &&= control.failedAsExpected && control.namesRelease && control.namesObject;
      ok &&= control.restored ? networkComplaints(control.restored).length === 0 : true;
    }
    process.exit(ok ? 0 : 1);
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(2);
  });
}
