// npm run bench:cluster [-- --settle <s>] [--window <s>] [--no-docs] [--cleanup | --idle-only | --report <json>]
// On the running local cluster (npm run cluster -- up, nothing else on the node):
// 1. times `pulumi up` of a stack configured from `local` (bench-local) to an all-Ready
//    platform, 3. measures idle memory and CPU of the cluster's processes and the
//    platform's pods meanwhile, then destroys it;
// 2. times the floor for the same objects: a second stack (bench-local-render) renders
//    them to a 0700 directory under the cache, `kubectl apply --server-side -R` applies
//    them, to the same readiness; then deletes them and destroys that stack.
// Prints the figures and writes them into docs/local-cluster.md (unless --no-docs).
// --cleanup only destroys and removes the two bench stacks (after an interrupted run);
// --idle-only [--namespace <ns>] only measures the idle usage of what runs now (reads only);
// --report <json> prints an earlier run's figures and writes them into the docs.
import { execFile } from "node:child_process";
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { layout } from "../cluster/clusterLayout";
import { FIRST_NODE } from "../cluster/node/clusterNode";
import { nodeLayout } from "../cluster/node/nodeLayout";
import { alive, Procs } from "../cluster/node/procs";
import { PROJECT_ROOT, stackFilePath } from "../tools/cli/stackFiles";
import {
  BENCH_HEADING,
  benchSection,
  disturbanceNote,
  disturbancesIn,
  foreignPods,
  memoryStat,
  MiB,
  namespaceFilesFirst,
  nanosToMillicores,
  podsScheduledSince,
  processTree,
  smapsPssKiB,
  renderOverrides,
  shimSandboxId,
  statCpuTicks,
  statParent,
  sumRows,
  ticksToMillicores,
  timingTable,
  upsertSection,
  usageTable,
  vmRssKiB,
  workingSetBytes,
  type ClusterBenchResult,
  type Disturbance,
  type KubeEvent,
  type Phase,
  type RenderedFile,
  type UsageRow,
} from "../tools/bench/cluster/report";
import { platformValues } from "../tools/engine/stackFile";
import { preparePlatformStack, type PreparedStack } from "../tools/engine/workspace";
import { cacheRoot } from "../lib/cache/cacheRoot";
import { platformComplaints } from "../tools/kubectl/readiness";
import { getItems, kubectl, waitUntil } from "../tools/kubectl/client";

const run = promisify(execFile);

const STACK = "bench-local";
const RENDER_STACK = "bench-local-render";
const NAMESPACES = ["spark"];
/** Namespaces of any platform (local and local-prod layouts): the node holds one. */
const PLATFORM_NAMESPACES = ["spark", "spark-35", "spark-41"];
const COMMAND = "npm run bench:cluster";
const POLL_MS = 2000;
const READY_TIMEOUT_MS = 15 * 60_000;
const GONE_TIMEOUT_MS = 5 * 60_000;

const benchDir = join(cacheRoot(), "bench");
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const logFile = join(benchDir, `cluster-${stamp}.log`);

const say = (line: string): void => {
  console.error(`[bench] ${line}`);
  appendFileSync(logFile, `[bench] ${line}\n`);
};
const toLog = (text: string): void => appendFileSync(logFile, text);
const seconds = (since: number): number => (Date.now() - since) / 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function clusterIsUp(): Promise<void> {
  try {
    await run("npx", ["tsx", "cluster/main.ts", "status"], { cwd: PROJECT_ROOT });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(
      `the local cluster is not all up (npm run cluster -- status):\n${e.stdout ?? ""}${e.stderr ?? ""}`,
    );
  }
}

async function existingNamespaces(names: readonly string[]): Promise<string[]> {
  const { stdout } = await kubectl(["get", "namespaces", "-o", "name"]);
  const present = new Set(stdout.split("\n").map((line) => line.replace(/^namespace\//, "")));
  return names.filter((name) => present.has(name));
}

async function waitReady(what: string): Promise<void> {
  await waitUntil(
    what,
    READY_TIMEOUT_MS,
    async () => {
      const complaints = await platformComplaints(NAMESPACES);
      return complaints.length ? complaints.join("; ") : undefined;
    },
    POLL_MS,
  );
}

/** Until the release pods are gone and the namespaces with them. */
async function waitGone(what: string): Promise<void> {
  await waitUntil(
    what,
    GONE_TIMEOUT_MS,
    async () => {
      const left: string[] = [];
      for (const namespace of NAMESPACES) {
        const pods = await getItems("pods", namespace);
        if (pods.length) left.push(`${pods.length} pods in ${namespace}`);
      }
      const namespaces = await existingNamespaces(NAMESPACES);
      if (namespaces.length) left.push(`namespaces ${namespaces.join(", ")}`);
      return left.length ? left.join("; ") : undefined;
    },
    POLL_MS,
  );
}

/** Pods not of the platform placed in the namespace during `phases`, with their phase. */
async function othersPods(
  phases: readonly Phase[],
  releases: readonly string[],
): Promise<Disturbance[]> {
  const { stdout } = await kubectl(["get", "events", "-n", NAMESPACES[0]!, "-o", "json"]);
  const events = (JSON.parse(stdout) as { items: KubeEvent[] }).items;
  const placed = podsScheduledSince(events, Math.min(...phases.map((p) => p.from)) - 1000);
  const found = disturbancesIn(placed, foreignPods([...placed.keys()], releases), phases);
  for (const d of found)
    say(`warning: pod of others in ${NAMESPACES[0]} during ${d.phase}: ${d.pod}`);
  return found;
}

/** Prints the figures and, when asked, writes them into the docs section. */
function report(result: ClusterBenchResult, resultFile: string, writeDocs: boolean): void {
  console.log(`${COMMAND} (${result.date}, ${result.machine})\n`);
  console.log(timingTable(result));
  console.log();
  console.log(usageTable(result));
  const pods = sumRows("", result.idle.pods);
  console.log(
    `\nplatform pods: ${Math.round(pods.rssBytes / MiB)} MiB RSS, ${Math.round(pods.millicores)}m CPU idle; figures in ${resultFile}`,
  );
  for (const line of disturbanceNote(result.disturbances)) if (line) console.log(line);
  if (!writeDocs) return;
  const doc = join(PROJECT_ROOT, "docs", "local-cluster.md");
  writeFileSync(doc, upsertSection(readFileSync(doc, "utf8"), BENCH_HEADING, benchSection(result)));
  say(`wrote the section "${BENCH_HEADING.slice(3)}" of ${doc}`);
}

function prepare(stackName: string, overrides?: Record<string, unknown>): Promise<PreparedStack> {
  return preparePlatformStack({
    stackName,
    configFrom: "local",
    ...(overrides ? { overrides } : {}),
    log: say,
  });
}

async function resourceCount(prepared: PreparedStack): Promise<number> {
  const state = await prepared.stack.exportStack();
  const resources = (state.deployment as { resources?: { type: string }[] } | undefined)?.resources;
  return (resources ?? []).filter((r) => !r.type.startsWith("pulumi:")).length;
}

// ---- idle usage ---------------------------------------------------------------------

interface ProcSample {
  readonly ticks: number;
  readonly rssKiB: number;
  readonly pssKiB: number;
}

function readProc(pid: number, memory: boolean): ProcSample | undefined {
  try {
    return {
      ticks: statCpuTicks(readFileSync(`/proc/${pid}/stat`, "utf8")),
      rssKiB: memory ? vmRssKiB(readFileSync(`/proc/${pid}/status`, "utf8")) : 0,
      pssKiB: memory ? smapsPssKiB(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8")) : 0,
    };
  } catch {
    return undefined;
  }
}

function parentsOfAll(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      parents.set(Number(entry), statParent(readFileSync(`/proc/${entry}/stat`, "utf8")));
    } catch {
      /* exited meanwhile */
    }
  }
  return parents;
}

function argvOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return [];
  }
}

interface Group {
  readonly name: string;
  readonly pids: readonly number[];
}

/** Processes of the harness (each with its children) and the shims of our containerd. */
function processGroups(): { groups: Group[]; shims: number[] } {
  const l = layout();
  const parents = parentsOfAll();
  const socket = nodeLayout(l, FIRST_NODE).containerdSocket;
  const shims = [...parents.keys()].filter(
    (pid) => shimSandboxId(argvOf(pid), socket) !== undefined,
  );
  const groups = new Procs(l.pidDir, l.logDir)
    .all()
    .filter(alive)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((r) => ({ name: r.name, pids: processTree(r.pid, parents, new Set(shims)) }));
  return { groups, shims };
}

interface PodCgroup {
  readonly name: string;
  readonly memory: string;
  readonly cpuacct: string;
}

function podCgroups(pods: { name: string; uid: string }[]): PodCgroup[] {
  return pods.flatMap((pod) => {
    for (const qos of ["", "burstable", "besteffort"]) {
      const relative = join("kubepods", qos, `pod${pod.uid}`);
      const memory = join("/sys/fs/cgroup/memory", relative);
      if (existsSync(memory)) {
        return [{ name: pod.name, memory, cpuacct: join("/sys/fs/cgroup/cpuacct", relative) }];
      }
    }
    say(`warning: pod ${pod.name} has no cgroup kubepods/**/pod${pod.uid}; left out`);
    return [];
  });
}

const cpuNanos = (cg: PodCgroup): number =>
  Number(readFileSync(join(cg.cpuacct, "cpuacct.usage"), "utf8").trim());

/** Processes of a pod: cgroup.procs of its cgroup and of its containers' below it. */
function cgroupPids(dir: string): number[] {
  const pids = readFileSync(join(dir, "cgroup.procs"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map(Number);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) pids.push(...cgroupPids(join(dir, entry.name)));
  }
  return pids;
}

async function idleUsage(
  windowSeconds: number,
  clockTicks: number,
  namespace = NAMESPACES[0]!,
): Promise<{ controlPlane: UsageRow[]; shims: UsageRow; pods: UsageRow[] }> {
  const { groups, shims } = processGroups();
  // Pods of completed Jobs have no processes (kubelet removed their cgroups).
  const pods = (await getItems("pods", namespace))
    .filter((p) => p.status?.["phase"] === "Running")
    .map((p) => ({ name: p.metadata.name, uid: p.metadata.uid ?? "" }));
  const cgroups = podCgroups(pods);
  const pids = [...new Set([...groups.flatMap((g) => g.pids), ...shims])];
  const before = new Map(pids.map((pid) => [pid, readProc(pid, false)]));
  const podBefore = cgroups.map(cpuNanos);
  const started = process.hrtime.bigint();
  await sleep(windowSeconds * 1000);
  const podAfter = cgroups.map(cpuNanos);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const after = new Map(pids.map((pid) => [pid, readProc(pid, true)]));

  const usage = (name: string, group: readonly number[]): UsageRow => {
    let rssKiB = 0;
    let pssKiB = 0;
    let ticks = 0;
    for (const pid of group) {
      const a = before.get(pid);
      const b = after.get(pid);
      if (b) {
        rssKiB += b.rssKiB;
        pssKiB += b.pssKiB;
      }
      if (a && b) ticks += b.ticks - a.ticks;
    }
    return {
      name,
      rssBytes: rssKiB * 1024,
      pssBytes: pssKiB * 1024,
      millicores: ticksToMillicores(ticks, clockTicks, elapsed),
    };
  };
  const podRows = cgroups.map((cg, i): UsageRow => {
    const stat = memoryStat(readFileSync(join(cg.memory, "memory.stat"), "utf8"));
    const usageBytes = Number(readFileSync(join(cg.memory, "memory.usage_in_bytes"), "utf8"));
    const samples = cgroupPids(cg.memory)
      .map((pid) => readProc(pid, true))
      .filter((x): x is ProcSample => x !== undefined);
    return {
      name: cg.name,
      rssBytes: samples.reduce((sum, x) => sum + x.rssKiB, 0) * 1024,
      pssBytes: samples.reduce((sum, x) => sum + x.pssKiB, 0) * 1024,
      workingSetBytes: workingSetBytes(stat, usageBytes),
      millicores: nanosToMillicores(podAfter[i]! - podBefore[i]!, elapsed),
    };
  });
  return {
    controlPlane: groups.map((g) =>
      usage(g.pids.length > 1 ? `${g.name} (${g.pids.length} processes)` : g.name, g.pids),
    ),
    shims: usage(`containerd shims (${shims.length}, one per pod)`, shims),
    pods: podRows.sort((a, b) => a.name.localeCompare(b.name)),
  };
}

// ---- the floor ------------------------------------------------------------------------

function renderedFiles(dir: string): RenderedFile[] {
  const files: RenderedFile[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name)) files.push({ path, text: readFileSync(path, "utf8") });
    }
  };
  walk(dir);
  return files;
}

// ---- cleanup of an interrupted run ----------------------------------------------------

async function cleanup(): Promise<void> {
  const scratch = mkdtempSync(join(benchDir, "cleanup-"));
  try {
    const committed = platformValues(readFileSync(stackFilePath("local"), "utf8"));
    for (const [name, overrides] of [
      [STACK, undefined],
      [RENDER_STACK, renderOverrides(committed, scratch)],
    ] as const) {
      const prepared = await prepare(name, overrides);
      say(`${name}: refresh and destroy`);
      await prepared.stack.refresh({ onOutput: toLog });
      await prepared.stack.destroy({ onOutput: toLog });
      await prepared.stack.workspace.removeStack(name);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// ---- main -----------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      settle: { type: "string", default: "30" },
      window: { type: "string", default: "60" },
      "no-docs": { type: "boolean", default: false },
      cleanup: { type: "boolean", default: false },
      "idle-only": { type: "boolean", default: false },
      namespace: { type: "string", default: "spark" },
      report: { type: "string" },
    },
  });
  // The rendered manifests below it hold the stack's secrets.
  mkdirSync(benchDir, { recursive: true, mode: 0o700 });
  chmodSync(benchDir, 0o700);
  say(`log: ${logFile}`);
  if (values.cleanup) return cleanup();
  if (values.report) {
    // The figures of an earlier run (its JSON), printed and written into the docs as they are.
    const saved = JSON.parse(readFileSync(values.report, "utf8")) as ClusterBenchResult;
    return report(saved, values.report, !values["no-docs"]);
  }
  const settleSeconds = Number(values.settle);
  const windowSeconds = Number(values.window);

  await clusterIsUp();
  const clockTicks = Number((await run("getconf", ["CLK_TCK"])).stdout.trim());
  if (values["idle-only"]) {
    // Reads only: the pods already in the namespace, whoever put them there.
    const idle = await idleUsage(windowSeconds, clockTicks, values.namespace);
    console.log(usageTable({ idle: { windowSeconds, settleSeconds: 0, ...idle } }));
    return;
  }
  const busy = await existingNamespaces(PLATFORM_NAMESPACES);
  if (busy.length) {
    throw new Error(
      `namespaces ${busy.join(", ")} exist: another platform is on the node (two do not fit); remove it first`,
    );
  }
  const committed = platformValues(readFileSync(stackFilePath("local"), "utf8"));
  const releases = ((committed["releases"] ?? []) as { name: string }[]).map((r) => r.name);
  const disturbances: Disturbance[] = [];

  // 1. pulumi up to all Ready; 3. idle usage meanwhile; then destroy.
  const bench = await prepare(STACK);
  if ((await resourceCount(bench)) > 0) {
    throw new Error(
      `stack ${STACK} has resources of an earlier run: npm run bench:cluster -- --cleanup`,
    );
  }
  let renderDir: string | undefined;
  let mainUp = false;
  let render: PreparedStack | undefined;
  let renderUp = false;
  let applied = false;
  try {
    say(`${STACK}: pulumi up`);
    mainUp = true;
    let started = Date.now();
    const runStarted = started;
    await bench.stack.up({ onOutput: toLog });
    const upSeconds = seconds(started);
    say(`${STACK}: up returned after ${upSeconds.toFixed(1)} s; waiting for all Ready`);
    await waitReady(`${STACK} all Ready`);
    const readySeconds = seconds(started);
    const readyAt = Date.now();
    const resources = await resourceCount(bench);
    say(`${STACK}: all Ready after ${readySeconds.toFixed(1)} s (${resources} resources)`);

    say(`idle: settling ${settleSeconds} s, then measuring over ${windowSeconds} s`);
    await sleep(settleSeconds * 1000);
    const windowFrom = Date.now();
    const idle = await idleUsage(windowSeconds, clockTicks);
    const windowTo = Date.now();
    const afterIdle = await platformComplaints(NAMESPACES);
    if (afterIdle.length) {
      say(`warning: not all Ready after the idle window: ${afterIdle.join("; ")}`);
    }
    disturbances.push(
      ...(await othersPods(
        [
          { name: "pulumi up", from: runStarted, to: readyAt },
          { name: "settling", from: readyAt, to: windowFrom },
          { name: "idle window", from: windowFrom, to: windowTo },
          { name: "after the idle window", from: windowTo, to: Date.now() },
        ],
        releases,
      )),
    );

    say(`${STACK}: pulumi destroy`);
    started = Date.now();
    await bench.stack.destroy({ onOutput: toLog });
    const destroySeconds = seconds(started);
    await waitGone(`${STACK}: release pods gone`);
    const goneSeconds = seconds(started);
    mainUp = false;
    say(
      `${STACK}: destroyed in ${destroySeconds.toFixed(1)} s, pods gone after ${goneSeconds.toFixed(1)} s`,
    );

    // 2. The floor: the same objects rendered, then kubectl apply.
    renderDir = mkdtempSync(join(benchDir, "render-"));
    chmodSync(renderDir, 0o700);
    render = await prepare(RENDER_STACK, renderOverrides(committed, renderDir));
    say(`${RENDER_STACK}: pulumi up (renders into ${renderDir})`);
    renderUp = true;
    started = Date.now();
    await render.stack.up({ onOutput: toLog });
    const renderUpSeconds = seconds(started);
    const files = renderedFiles(renderDir);
    const { namespaces, foreign } = namespaceFilesFirst(files);
    if (!namespaces.length) throw new Error(`${renderDir}: no Namespace rendered`);
    if (foreign.length) {
      throw new Error(
        `rendered objects in namespaces the render does not create: ${foreign.join(", ")}`,
      );
    }
    say(`kubectl apply --server-side of ${files.length} files (namespaces first)`);
    applied = true;
    started = Date.now();
    await kubectl(["apply", "--server-side", ...namespaces.flatMap((f) => ["-f", f])]);
    await kubectl(["apply", "--server-side", "-R", "-f", renderDir]);
    const applySeconds = seconds(started);
    await waitReady("kubectl apply: all Ready");
    const applyReadySeconds = seconds(started);
    say(
      `kubectl: applied in ${applySeconds.toFixed(1)} s, all Ready after ${applyReadySeconds.toFixed(1)} s`,
    );
    disturbances.push(
      ...(await othersPods([{ name: "kubectl apply", from: started, to: Date.now() }], releases)),
    );
    started = Date.now();
    await kubectl(["delete", "-R", "-f", renderDir, "--wait", "--ignore-not-found"]);
    const deleteSeconds = seconds(started);
    applied = false;
    await waitGone("kubectl delete: release pods gone");
    say(`kubectl: deleted in ${deleteSeconds.toFixed(1)} s`);

    const cpu = cpus();
    const result: ClusterBenchResult = {
      date: new Date().toISOString().slice(0, 10),
      machine: `${cpu.length} cores (${cpu[0]?.model.trim() ?? "?"}), ${Math.round(totalmem() / 1024 / MiB)} GiB, Linux ${release()}`,
      command: COMMAND,
      readinessPollSeconds: POLL_MS / 1000,
      pulumi: { upSeconds, readySeconds, destroySeconds, goneSeconds, resources },
      kubectl: {
        renderUpSeconds,
        files: files.length,
        applySeconds,
        readySeconds: applyReadySeconds,
        deleteSeconds,
      },
      idle: { windowSeconds, settleSeconds, ...idle },
      disturbances,
    };
    const resultFile = join(benchDir, `cluster-${stamp}.json`);
    writeFileSync(resultFile, JSON.stringify(result, null, 2) + "\n");
    report(result, resultFile, !values["no-docs"] && disturbances.length === 0);
    if (disturbances.length) {
      say(
        `DISTURBED: pods of others ran in namespace ${NAMESPACES[0]}; docs not written (run again on a quiet node, or: npm run bench:cluster -- --report ${resultFile})`,
      );
      process.exitCode = 1;
    }
  } finally {
    // Whatever failed, leave nothing of ours on the cluster; the rendered secrets go.
    if (applied && renderDir) {
      await kubectl(["delete", "-R", "-f", renderDir, "--wait", "--ignore-not-found"], true);
    }
    if (renderUp && render) {
      await render.stack
        .destroy({ onOutput: toLog })
        .catch((e: unknown) => say(`${RENDER_STACK} destroy: ${String(e)}`));
    }
    if (renderDir) rmSync(renderDir, { recursive: true, force: true });
    if (mainUp) {
      await bench.stack
        .destroy({ onOutput: toLog })
        .catch((e: unknown) => say(`${STACK} destroy: ${String(e)}`));
    }
    for (const [name, prepared] of [
      [STACK, bench],
      [RENDER_STACK, render],
    ] as const) {
      if (prepared && (await resourceCount(prepared).catch(() => 1)) === 0) {
        await prepared.stack.workspace.removeStack(name).catch(() => {});
      }
    }
  }
}

main().catch((error: unknown) => {
  console.error(`[bench] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
