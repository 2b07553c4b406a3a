// Processes the cluster starts: detached, logged, recorded by PID (with the kernel's start
// time, so a recycled PID is never mistaken for ours) under <state>/pids/<name>.json.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { sleep, waitFor } from "../support/polling";
import type { ClusterNode } from "./clusterNode";

export interface ProcRecord {
  name: string;
  pid: number;
  /** Field 22 of /proc/<pid>/stat at start. */
  startTime: string;
  argv: string[];
  log: string;
}

/** Field 22 (starttime) of a /proc/<pid>/stat line; the comm field may hold spaces. */
export function statStartTime(stat: string): string | undefined {
  const close = stat.lastIndexOf(")");
  if (close < 0) return undefined;
  const fields = stat.slice(close + 2).split(" ");
  return fields[19];
}

function startTimeOf(pid: number): string | undefined {
  try {
    return statStartTime(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
}

/** True when the recorded process still runs (same PID and same start time, not a zombie). */
export function alive(r: ProcRecord): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${r.pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    return statStartTime(stat) === r.startTime && state !== "Z";
  } catch {
    return false;
  }
}

/** Where a process runs: on the host, or in a node's network namespace, entered with
 * `ip netns exec` (own mount namespace, /sys of the netns) or `nsenter --net` (network
 * only: kubelet and containerd must share the host's mounts, or the volumes kubelet mounts
 * are invisible to the containers runc starts). */
export type Where =
  | { readonly kind: "host" }
  | { readonly kind: "netns"; readonly netns: string }
  | { readonly kind: "netns-hostmounts"; readonly netns: string };

export const ON_HOST: Where = { kind: "host" };

export function inNetns(node: ClusterNode): Where {
  return { kind: "netns", netns: node.netns };
}

export function inNetnsWithHostMounts(node: ClusterNode): Where {
  return { kind: "netns-hostmounts", netns: node.netns };
}

export function wrap(where: Where, argv: readonly string[]): string[] {
  if (where.kind === "netns") return ["ip", "netns", "exec", where.netns, ...argv];
  if (where.kind === "netns-hostmounts")
    return ["nsenter", `--net=/run/netns/${where.netns}`, "--", ...argv];
  return [...argv];
}

/** One process the harness starts: its record name, where it runs, its command line. */
export interface ProcessSpec {
  name: string;
  where: Where;
  argv: string[];
}

export class Procs {
  constructor(
    private readonly pidDir: string,
    private readonly logDir: string,
  ) {}

  private file(name: string): string {
    return path.join(this.pidDir, `${name}.json`);
  }

  get(name: string): ProcRecord | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.file(name), "utf8")) as ProcRecord;
    } catch {
      return undefined;
    }
  }

  all(): ProcRecord[] {
    if (!fs.existsSync(this.pidDir)) return [];
    return fs
      .readdirSync(this.pidDir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => this.get(f.slice(0, -5)))
      .filter((r): r is ProcRecord => r !== undefined);
  }

  /** Records a process started by someone else on our behalf (PostgreSQL, MinIO). */
  record(r: ProcRecord): void {
    fs.mkdirSync(this.pidDir, { recursive: true });
    fs.writeFileSync(this.file(r.name), JSON.stringify(r, null, 2) + "\n");
  }

  /** Starts argv detached (own session), output appended to <logs>/<name>.log. */
  async start(
    name: string,
    where: Where,
    argv: string[],
    env?: NodeJS.ProcessEnv,
  ): Promise<ProcRecord> {
    fs.mkdirSync(this.pidDir, { recursive: true });
    fs.mkdirSync(this.logDir, { recursive: true });
    const log = path.join(this.logDir, `${name}.log`);
    const fd = fs.openSync(log, "a");
    const full = wrap(where, argv);
    const child = spawn(full[0] as string, full.slice(1), {
      detached: true,
      stdio: ["ignore", fd, fd],
      env: env ?? process.env,
    });
    fs.closeSync(fd);
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${name}: could not start ${full[0]}`);
    child.unref();
    let startTime: string | undefined;
    await waitFor(() => (startTime = startTimeOf(pid)) !== undefined, 2000, 20);
    if (!startTime) throw new Error(`${name}: exited at once, see ${log}`);
    const rec: ProcRecord = { name, pid, startTime, argv: full, log };
    fs.writeFileSync(this.file(name), JSON.stringify(rec, null, 2) + "\n");
    return rec;
  }

  /** `signal` (SIGTERM; PostgreSQL's fast shutdown is SIGINT), then SIGKILL after
   * `graceMs`; forgets the record. */
  async stop(name: string, graceMs = 10000, signal: NodeJS.Signals = "SIGTERM"): Promise<boolean> {
    const r = this.get(name);
    if (!r) return false;
    let was = false;
    if (alive(r)) {
      was = true;
      try {
        process.kill(r.pid, signal);
      } catch {
        /* gone meanwhile */
      }
      if (!(await waitFor(() => !alive(r), graceMs, 100))) {
        try {
          process.kill(r.pid, "SIGKILL");
        } catch {
          /* gone meanwhile */
        }
        await waitFor(() => !alive(r), 5000, 100);
      }
    }
    fs.rmSync(this.file(name), { force: true });
    await sleep(0);
    return was;
  }

  /** Starts `spec` and waits until `ready` holds; fails when it exits first or times out. */
  async startAndWait(
    spec: ProcessSpec,
    ready: () => Promise<boolean>,
    timeoutMs: number,
  ): Promise<void> {
    const rec = await this.start(spec.name, spec.where, spec.argv);
    const ok = await waitFor(
      async () => (await ready()) || !fs.existsSync(`/proc/${rec.pid}`),
      timeoutMs,
      250,
    );
    if (!ok || !fs.existsSync(`/proc/${rec.pid}`) || !(await ready())) {
      throw new Error(`${spec.name} not ready in ${timeoutMs / 1000} s, see ${rec.log}`);
    }
  }
}
