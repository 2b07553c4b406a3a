// Pure readings of /proc files for `npm run bench:cluster`: a process's parent and CPU
// ticks, its RSS and PSS, the process trees of the harness and our containerd's shims.

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

/** Average CPU in millicores from a tick delta over `seconds`. */
export function ticksToMillicores(deltaTicks: number, clockTicks: number, seconds: number): number {
  return (deltaTicks / clockTicks / seconds) * 1000;
}
