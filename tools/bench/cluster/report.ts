import { parseAllDocuments } from "yaml";

/**
 * Pure parts of `npm run bench:cluster` (scripts/bench-cluster.ts): the render stack's
 * overrides, the namespaces-first apply order of a rendered directory, readings of
 * /proc and of kubelet's cgroup v1 files, and the report (table and docs section).
 */

type Values = Readonly<Record<string, unknown>>;

/**
 * Overrides of the floor's stack: the committed `kubernetes` settings with the manifests
 * rendered to `renderDir` instead of applied, and no kubeconfig (the provider talks to no
 * cluster; `kubectl apply` does the applying). Passed as PrepareOptions.overrides, which
 * replace the local cluster's `kubernetes` key as a whole (composeOverrides).
 */
export function renderOverrides(committed: Values, renderDir: string): Record<string, unknown> {
  const value = committed["kubernetes"];
  const kubernetes =
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? { ...(value as Record<string, unknown>) }
      : {};
  delete kubernetes["kubeconfig"];
  return { kubernetes: { ...kubernetes, renderYamlToDirectory: renderDir } };
}

export interface RenderedFile {
  readonly path: string;
  readonly text: string;
}

/**
 * Files of a rendered directory that hold a Namespace, and the others: `kubectl apply -R`
 * refuses namespaced objects whose namespace does not exist yet, so namespaces go first.
 * `foreign` names the namespaces objects are put in that the directory does not create
 * (`kubectl delete -R` would remove objects there that others may own).
 */
export function namespaceFilesFirst(files: readonly RenderedFile[]): {
  namespaces: string[];
  others: string[];
  foreign: string[];
} {
  const namespaces: string[] = [];
  const others: string[] = [];
  const created = new Set<string>();
  const used = new Set<string>();
  for (const file of files) {
    const objects = parseAllDocuments(file.text).map(
      (doc) =>
        (doc.toJS() as {
          kind?: unknown;
          metadata?: { name?: unknown; namespace?: unknown };
        } | null) ?? {},
    );
    for (const o of objects) {
      if (o.kind === "Namespace" && typeof o.metadata?.name === "string")
        created.add(o.metadata.name);
      if (typeof o.metadata?.namespace === "string") used.add(o.metadata.namespace);
    }
    (objects.some((o) => o.kind === "Namespace") ? namespaces : others).push(file.path);
  }
  return {
    namespaces: namespaces.sort(),
    others: others.sort(),
    foreign: [...used].filter((n) => !created.has(n)).sort(),
  };
}

/** Fields of a /proc/<pid>/stat line after the comm field (which may hold spaces). */
function statFields(stat: string): string[] {
  const close = stat.lastIndexOf(")");
  if (close < 0) throw new Error(`not a /proc/<pid>/stat line: ${stat.slice(0, 60)}`);
  return stat
    .slice(close + 2)
    .trim()
    .split(" ");
}

/** Parent PID (field 4) of a /proc/<pid>/stat line. */
export function statParent(stat: string): number {
  return Number(statFields(stat)[1]);
}

/** utime + stime (fields 14 and 15) of a /proc/<pid>/stat line, in clock ticks. */
export function statCpuTicks(stat: string): number {
  const fields = statFields(stat);
  return Number(fields[11]) + Number(fields[12]);
}

/** VmRSS of a /proc/<pid>/status text in KiB (0 for kernel threads and zombies). */
export function vmRssKiB(status: string): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) : 0;
}

/** Pss of a /proc/<pid>/smaps_rollup text in KiB: shared pages split among their users. */
export function smapsPssKiB(rollup: string): number {
  const match = /^Pss:\s+(\d+) kB/m.exec(rollup);
  return match ? Number(match[1]) : 0;
}

/**
 * `root` and every process below it, from a PID -> parent PID map, leaving out the
 * processes in `exclude` and everything below them (containerd shims and their containers
 * are counted on their own).
 */
export function processTree(
  root: number,
  parents: ReadonlyMap<number, number>,
  exclude: ReadonlySet<number> = new Set(),
): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, parent] of parents) {
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    if (tree.includes(pid) || exclude.has(pid)) continue;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/**
 * The sandbox (pod) container id a containerd shim serves, when it belongs to the
 * containerd listening on `socket`; undefined for other processes.
 */
export function shimSandboxId(argv: readonly string[], socket: string): string | undefined {
  if (!argv[0]?.endsWith("containerd-shim-runc-v2")) return undefined;
  const flag = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  return flag("-address") === socket ? flag("-id") : undefined;
}

/** `key value` lines of a cgroup v1 memory.stat file. */
export function memoryStat(text: string): Record<string, number> {
  const stat: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) stat[key] = Number(value);
  }
  return stat;
}

/**
 * The working set of one pod cgroup, as kubelet reports it: memory.usage_in_bytes less
 * the inactive file cache of its memory.stat, in bytes.
 */
export function workingSetBytes(
  stat: Readonly<Record<string, number>>,
  usageBytes: number,
): number {
  return Math.max(0, usageBytes - (stat["total_inactive_file"] ?? 0));
}

/** Pod UID of a kubelet cgroup directory name (`pod<uid>`, cgroupfs driver). */
export function podUidOfCgroup(name: string): string | undefined {
  return /^pod([0-9a-f-]{36})$/.exec(name)?.[1];
}

/** Average CPU in millicores from a tick delta over `seconds`. */
export function ticksToMillicores(deltaTicks: number, clockTicks: number, seconds: number): number {
  return (deltaTicks / clockTicks / seconds) * 1000;
}

/** Average CPU in millicores from a cpuacct.usage delta (nanoseconds) over `seconds`. */
export function nanosToMillicores(deltaNanos: number, seconds: number): number {
  return (deltaNanos / 1e9 / seconds) * 1000;
}

/** A core/v1 Event as `kubectl get events -o json` lists it (the fields read here). */
export interface KubeEvent {
  readonly reason?: string;
  readonly involvedObject?: { readonly kind?: string; readonly name?: string };
  readonly eventTime?: string | null;
  readonly firstTimestamp?: string | null;
}

/**
 * When the scheduler placed each pod (its `Scheduled` events outlive the pods), for the
 * pods placed at or after `sinceMs`.
 */
export function podsScheduledSince(
  events: readonly KubeEvent[],
  sinceMs: number,
): Map<string, number> {
  const placed = new Map<string, number>();
  for (const e of events) {
    if (e.reason !== "Scheduled" || e.involvedObject?.kind !== "Pod" || !e.involvedObject.name) {
      continue;
    }
    const at = Date.parse(e.eventTime ?? e.firstTimestamp ?? "");
    if (Number.isFinite(at) && at >= sinceMs) placed.set(e.involvedObject.name, at);
  }
  return new Map([...placed].sort(([a], [b]) => a.localeCompare(b)));
}

/** A stretch of the run, in epoch milliseconds. */
export interface Phase {
  readonly name: string;
  readonly from: number;
  readonly to: number;
}

/** A pod of others and the phase of the run it was placed in ("between phases" if none). */
export interface Disturbance {
  readonly pod: string;
  readonly phase: string;
}

export function disturbancesIn(
  placed: ReadonlyMap<string, number>,
  foreign: readonly string[],
  phases: readonly Phase[],
): Disturbance[] {
  return foreign.map((pod) => {
    const at = placed.get(pod) ?? Number.NaN;
    const phase = phases.find((p) => at >= p.from && at <= p.to);
    return { pod, phase: phase?.name ?? "between phases" };
  });
}

/**
 * Pods that are not the platform's: every pod the platform makes (Deployments, Jobs,
 * Connect executors) is named after its release. Others in the namespace (a test's
 * client pods) disturb what is measured.
 */
export function foreignPods(names: readonly string[], releases: readonly string[]): string[] {
  return names.filter((name) => !releases.some((release) => name.startsWith(`${release}-`)));
}

export const MiB = 1024 * 1024;

export interface UsageRow {
  readonly name: string;
  /** Sum of VmRSS of the processes, in bytes (shared pages counted by each). */
  readonly rssBytes: number;
  /** Sum of Pss of the processes, in bytes (shared pages split: these add up). */
  readonly pssBytes: number;
  /** Pods: the working set of the pod's cgroup (usage less inactive file cache). */
  readonly workingSetBytes?: number;
  readonly millicores: number;
}

export interface ClusterBenchResult {
  readonly date: string;
  readonly machine: string;
  readonly command: string;
  readonly readinessPollSeconds: number;
  readonly pulumi: {
    readonly upSeconds: number;
    readonly readySeconds: number;
    readonly destroySeconds: number;
    readonly goneSeconds: number;
    readonly resources: number;
  };
  readonly kubectl: {
    readonly renderUpSeconds: number;
    readonly files: number;
    readonly applySeconds: number;
    readonly readySeconds: number;
    readonly deleteSeconds: number;
  };
  readonly idle: {
    readonly windowSeconds: number;
    readonly settleSeconds: number;
    readonly controlPlane: readonly UsageRow[];
    readonly shims: UsageRow;
    readonly pods: readonly UsageRow[];
  };
  /** Pods of others placed in the namespace during the run (empty: undisturbed). */
  readonly disturbances: readonly Disturbance[];
}

const mib = (bytes: number) => `${Math.round(bytes / MiB)}`;
const secs = (s: number) => `${s.toFixed(1)}`;
const milli = (m: number) => `${Math.round(m)}m`;

/** A Markdown table; cells are given as text. */
export function markdownTable(header: readonly string[], rows: readonly string[][]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export function sumRows(name: string, rows: readonly UsageRow[]): UsageRow {
  const withWorkingSet = rows.filter((r) => r.workingSetBytes !== undefined);
  return {
    name,
    rssBytes: rows.reduce((sum, r) => sum + r.rssBytes, 0),
    pssBytes: rows.reduce((sum, r) => sum + r.pssBytes, 0),
    ...(withWorkingSet.length
      ? { workingSetBytes: withWorkingSet.reduce((sum, r) => sum + r.workingSetBytes!, 0) }
      : {}),
    millicores: rows.reduce((sum, r) => sum + r.millicores, 0),
  };
}

/** The timing table: pulumi up against the floor of kubectl apply of the same objects. */
export function timingTable(r: ClusterBenchResult): string {
  return markdownTable(
    ["path", "apply returns", "all Ready", "teardown"],
    [
      [
        `\`pulumi up\` (stack \`bench-local\` from \`local\`, ${r.pulumi.resources} resources)`,
        `${secs(r.pulumi.upSeconds)} s`,
        `${secs(r.pulumi.readySeconds)} s`,
        `\`pulumi destroy\` ${secs(r.pulumi.destroySeconds)} s, pods gone after ${secs(r.pulumi.goneSeconds)} s`,
      ],
      [
        `\`kubectl apply --server-side -R\` of the same objects rendered (${r.kubectl.files} files)`,
        `${secs(r.kubectl.applySeconds)} s`,
        `${secs(r.kubectl.readySeconds)} s`,
        `\`kubectl delete -R --wait\` ${secs(r.kubectl.deleteSeconds)} s`,
      ],
      [
        "difference (pulumi less kubectl)",
        `${secs(r.pulumi.upSeconds - r.kubectl.applySeconds)} s`,
        `${secs(r.pulumi.readySeconds - r.kubectl.readySeconds)} s`,
        "",
      ],
    ],
  );
}

/** The idle usage table: control plane and node processes, shims, the platform's pods. */
export function usageTable(r: Pick<ClusterBenchResult, "idle">): string {
  const row = (u: UsageRow): string[] => [
    u.name,
    mib(u.rssBytes),
    mib(u.pssBytes),
    u.workingSetBytes === undefined ? "" : mib(u.workingSetBytes),
    milli(u.millicores),
  ];
  const control = sumRows("control plane, node and shared services", [
    ...r.idle.controlPlane,
    r.idle.shims,
  ]);
  const pods = sumRows("platform pods", r.idle.pods);
  const total = sumRows("total", [control, pods]);
  return markdownTable(
    ["process / pod", "RSS MiB", "PSS MiB", "working set MiB", "CPU (avg)"],
    [
      ...r.idle.controlPlane.map(row),
      row(r.idle.shims),
      row(control).map((c, i) => (i === 0 ? `**${c}**` : c)),
      ...r.idle.pods.map(row),
      row(pods).map((c, i) => (i === 0 ? `**${c}**` : c)),
      row(total).map((c, i) => (i === 0 ? `**${c}**` : c)),
    ],
  );
}

export const BENCH_HEADING = "## Benchmark: pulumi up versus kubectl apply";

/** Body of the docs section (below its heading). */
export function benchSection(r: ClusterBenchResult): string {
  const quiet = r.disturbances.length === 0;
  return [
    `Measured ${r.date} on ${r.machine}, with \`${r.command}\` (scripts/bench-cluster.ts) on`,
    `a running local cluster${quiet ? " with nothing else on the node" : ""}. Both paths create the same`,
    "objects of a stack configured from `Pulumi.local.yaml` (one shared namespace `spark`,",
    "both releases) and wait for the same readiness as the live suite",
    `(\`platformComplaints\` of tests/cluster/readiness.ts, polled every ${r.readinessPollSeconds} s):`,
    "every Deployment Available, every Job Complete, every pod Running and Ready.",
    "",
    ...disturbanceNote(r.disturbances),
    timingTable(r),
    "",
    "- `pulumi up`: a new stack `bench-local` (preparePlatformStack, configFrom `local`),",
    "  real kubernetes provider; the time includes the engine, the program, the two",
    "  databases, roles and event-log markers (dynamic providers) and the provider's own",
    "  waits (it creates in dependency order and awaits each object's readiness).",
    `- The floor: a second stack \`bench-local-render\` renders the same manifests (with the`,
    "  real secrets) to a 0700 directory under the cache and creates the databases and",
    "  markers, which are retained on delete and adopted (that render `up` took",
    `  ${secs(r.kubectl.renderUpSeconds)} s and is not counted); then \`kubectl apply --server-side\``,
    "  of the Namespace files and `kubectl apply --server-side -R -f <dir>`. kubectl",
    "  sends everything at once: pods whose dependencies are not there yet retry.",
    "- Both paths find the metastore databases of an earlier run (retained), so the",
    "  schema Jobs find their schema in both.",
    "",
    `Idle usage while the \`pulumi up\` platform was Ready (after ${r.idle.settleSeconds} s settling,`,
    `CPU averaged over ${r.idle.windowSeconds} s${quiet ? " of nothing running against the cluster" : ""}):`,
    "the processes recorded by the cluster harness (`<cache>/cluster/state/pids/*.json`,",
    "each with its children), the shims of our containerd, and the processes of the",
    "platform's running pods in namespace `spark` (`cgroup.procs` of kubelet's",
    "`/sys/fs/cgroup/memory/kubepods/**/pod<uid>`). RSS is the sum of VmRSS and counts",
    "a shared page once per process (PostgreSQL's backends share its buffers); PSS",
    "(`/proc/<pid>/smaps_rollup`) splits shared pages, so PSS figures add up. The working",
    "set is the pod cgroup's usage less inactive file cache (what `kubectl top` shows).",
    "CPU: utime+stime deltas from `/proc/<pid>/stat`, for pods `cpuacct.usage` deltas.",
    "",
    usageTable(r),
  ].join("\n");
}

/** What pods of others did to the figures; a line saying there were none otherwise. */
export function disturbanceNote(disturbances: readonly Disturbance[]): string[] {
  if (!disturbances.length) {
    return [
      "No pod but the platform's was placed in the namespace during the run (checked from",
      "the scheduler's events).",
      "",
    ];
  }
  const phases = [...new Set(disturbances.map((d) => d.phase))];
  return [
    "**Disturbed run.** Pods that are not the platform's were placed in namespace `spark`",
    "while it ran (from the scheduler's events); the figures of these phases include their",
    "work and are not what the platform alone costs:",
    "",
    ...phases.map(
      (phase) =>
        `- ${phase}: ${disturbances
          .filter((d) => d.phase === phase)
          .map((d) => `\`${d.pod}\``)
          .join(", ")}`,
    ),
    "",
  ];
}

/** Replaces the section `heading` (to the next `## ` heading) or appends it. */
export function upsertSection(markdown: string, heading: string, body: string): string {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => line.trim() === heading);
  const section = [heading, "", body.trimEnd(), ""];
  if (start < 0) {
    const text = markdown.endsWith("\n") ? markdown : `${markdown}\n`;
    return `${text}\n${section.join("\n")}`;
  }
  let end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  if (end < 0) end = lines.length;
  const after = lines.slice(end);
  return [...lines.slice(0, start), ...section, ...after].join("\n").replace(/\n*$/, "\n");
}
