// Samples the idle usage of what runs on the node: the processes the cluster harness
// recorded (each with its children) and our containerd's shims, read from /proc; the
// platform's pods, read from kubelet's cgroups (cgroup v1, cgroupfs driver).
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { layout } from "../../../cluster/clusterLayout";
import { clusterNodes } from "../../../cluster/node/clusterNode";
import { nodeLayout } from "../../../cluster/node/nodeLayout";
import { alive, Procs } from "../../../cluster/node/procs";
import { recordedNodeCount } from "../../../cluster/nodeCount";
import { getItems } from "../../kubectl/client";
import type { BenchLog } from "./benchLog";
import { memoryStat, nanosToMillicores, workingSetBytes } from "./cgroupReadings";
import {
  processTree,
  shimSandboxId,
  smapsPssKiB,
  statCpuTicks,
  statParent,
  ticksToMillicores,
  vmRssKiB,
} from "./procReadings";
import type { IdleUsage, UsageRow } from "./result";

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Clock ticks per second, the unit of /proc/<pid>/stat's CPU times. */
export async function clockTicks(): Promise<number> {
  return Number((await run("getconf", ["CLK_TCK"])).stdout.trim());
}

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

/** The cluster's nodes (as many as the last `up` started). */
const benchNodes = () => clusterNodes(recordedNodeCount(layout()) ?? 1);

/** Processes of the harness (each with its children) and the shims of every node's
 * containerd. */
function processGroups(): { groups: Group[]; shims: number[] } {
  const l = layout();
  const parents = parentsOfAll();
  const sockets = benchNodes().map((node) => nodeLayout(l, node).containerdSocket);
  const shims = [...parents.keys()].filter((pid) =>
    sockets.some((socket) => shimSandboxId(argvOf(pid), socket) !== undefined),
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

/** A pod's cgroup under its node's kubelet cgroup root (`/kubepods` on node 1,
 * `/spark-node-2/kubepods` on node 2). */
function podCgroups(log: BenchLog, pods: { name: string; uid: string }[]): PodCgroup[] {
  const roots = benchNodes().map((node) => node.cgroupRoot);
  return pods.flatMap((pod) => {
    for (const [root, qos] of roots.flatMap((r) =>
      ["", "burstable", "besteffort"].map((q) => [r, q] as const),
    )) {
      const relative = join(root, "kubepods", qos, `pod${pod.uid}`);
      const memory = join("/sys/fs/cgroup/memory", relative);
      if (existsSync(memory)) {
        return [{ name: pod.name, memory, cpuacct: join("/sys/fs/cgroup/cpuacct", relative) }];
      }
    }
    log.say(`warning: pod ${pod.name} has no cgroup kubepods/**/pod${pod.uid}; left out`);
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

/**
 * Memory at the end of a `windowSeconds` window and CPU averaged over it, of the harness's
 * processes, the shims, and the running pods of `namespace`.
 */
export async function idleUsage(
  log: BenchLog,
  windowSeconds: number,
  clockTicks: number,
  namespace: string,
): Promise<IdleUsage> {
  const { groups, shims } = processGroups();
  // Pods of completed Jobs have no processes (kubelet removed their cgroups).
  const pods = (await getItems("pods", namespace))
    .filter((p) => p.status?.["phase"] === "Running")
    .map((p) => ({ name: p.metadata.name, uid: p.metadata.uid ?? "" }));
  const cgroups = podCgroups(log, pods);
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
