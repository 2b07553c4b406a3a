// Pure readings of kubelet's cgroup v1 files (cgroupfs driver) for `npm run bench:cluster`:
// a pod's memory.stat, its working set, its cgroup directory, its CPU from cpuacct.usage.

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

/** Average CPU in millicores from a cpuacct.usage delta (nanoseconds) over `seconds`. */
export function nanosToMillicores(deltaNanos: number, seconds: number): number {
  return (deltaNanos / 1e9 / seconds) * 1000;
}
