// The report of `npm run bench:cluster`: the timing and idle usage tables and the section
// of docs/local-cluster.md they are written into.
import type { Disturbance } from "./disturbances";
import { MiB, type ClusterBenchResult, type UsageRow } from "./result";

/** The command the report names as the source of its figures. */
export const BENCH_COMMAND = "npm run bench:cluster";

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
    `(\`platformComplaints\` of tools/kubectl/readiness.ts, polled every ${r.readinessPollSeconds} s):`,
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
