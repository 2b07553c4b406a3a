// Finding what an earlier run left behind (pure parsing of /proc and tool output).

/** Decodes the octal escapes (\040 = space) of /proc/mounts fields. */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Mount points (from /proc/self/mounts text) at or below any prefix, deepest first. */
export function mountsUnder(procMounts: string, prefixes: string[]): string[] {
  const clean = prefixes.map((p) => p.replace(/\/+$/, ""));
  const points = new Set<string>();
  for (const line of procMounts.split("\n")) {
    const field = line.split(" ")[1];
    if (!field) continue;
    const mp = unescapeMount(field);
    if (clean.some((p) => mp === p || mp.startsWith(p + "/"))) points.add(mp);
  }
  return [...points].sort(
    (a, b) => b.split("/").length - a.split("/").length || b.localeCompare(a),
  );
}

export const CHAIN_PREFIXES = ["KUBE-", "CNI-", "KUBE-ROUTER-"];

/** "table chain" pairs of iptables-save output whose chain name has one of our prefixes. */
export function ourChains(iptablesSave: string): { table: string; chain: string }[] {
  const out: { table: string; chain: string }[] = [];
  let table = "";
  for (const line of iptablesSave.split("\n")) {
    if (line.startsWith("*")) table = line.slice(1).trim();
    else if (line.startsWith(":")) {
      const chain = line.slice(1).split(" ")[0] ?? "";
      if (CHAIN_PREFIXES.some((p) => chain.startsWith(p))) out.push({ table, chain });
    }
  }
  return out;
}

/** IPv4 addresses of `ip -4 -o addr show` output. */
export function ipv4Addresses(ipAddrOutput: string): string[] {
  return [...ipAddrOutput.matchAll(/\binet (\d+\.\d+\.\d+\.\d+)\//g)].map((m) => m[1] as string);
}

function ipv4ToNumber(ip: string): number {
  return ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

/** Whether an IPv4 address lies in a CIDR range such as 10.244.0.0/24. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipv4ToNumber(base as string) / size) * size;
  const n = ipv4ToNumber(ip);
  return n >= start && n < start + size;
}

/** IPv4 addresses a CNI cache file (libcni's `cniCacheV1` JSON) records for its container;
 * empty when it is not such a file. */
export function cniResultAddresses(text: string): string[] {
  try {
    const ips = (JSON.parse(text) as { result?: { ips?: { address?: string }[] } }).result?.ips;
    return (ips ?? [])
      .map((ip) => /^(\d+\.\d+\.\d+\.\d+)\//.exec(ip.address ?? "")?.[1])
      .filter((ip): ip is string => ip !== undefined);
  } catch {
    return [];
  }
}

/** CNI cache files (names in /var/lib/cni/results) of our network whose pod address lies in
 * one of the ranges, with the loopback files of the same containers (containerd's CRI
 * writes `cni-loopback-<id>-lo` beside `<network>-<id>-eth0`). */
export function cniResultsIn(
  files: readonly { name: string; text: string }[],
  network: string,
  cidrs: readonly string[],
): string[] {
  const prefix = `${network}-`;
  const ours = files.filter(
    (f) =>
      f.name.startsWith(prefix) &&
      cniResultAddresses(f.text).some((ip) => cidrs.some((c) => inCidr(ip, c))),
  );
  const ids = new Set(ours.map((f) => f.name.slice(prefix.length).replace(/-[^-]+$/, "")));
  const loopback = files.filter((f) => {
    const m = /^cni-loopback-(.+)-lo$/.exec(f.name);
    return m !== null && ids.has(m[1] as string);
  });
  return [...ours, ...loopback].map((f) => f.name);
}

/** Names from `ip -o link show` output (peer suffix "@..." removed). */
export function linkNames(ipLinkOutput: string): string[] {
  const names: string[] = [];
  for (const line of ipLinkOutput.split("\n")) {
    const m = /^\d+:\s+([^:@\s]+)(?:@\S+)?:/.exec(line);
    if (m) names.push(m[1] as string);
  }
  return names;
}

/** Socket paths that appear in /proc/net/unix (i.e. something still listens/holds them). */
export function unixSocketsInUse(procNetUnix: string): Set<string> {
  const inUse = new Set<string>();
  for (const line of procNetUnix.split("\n").slice(1)) {
    const parts = line.trim().split(/\s+/);
    const p = parts[7];
    if (parts.length >= 8 && p && p.startsWith("/")) inUse.add(p);
  }
  return inUse;
}

/** Cgroup directories to remove, children before parents (from a recursive listing). */
export function cgroupRemovalOrder(dirs: string[]): string[] {
  return [...dirs].sort((a, b) => b.split("/").length - a.split("/").length || b.localeCompare(a));
}

export interface LeftoverReport {
  processes: string[];
  mounts: string[];
  netns: string[];
  links: string[];
  hostChains: string[];
  cgroups: string[];
  files: string[];
}

export function isClean(r: LeftoverReport): boolean {
  return Object.values(r).every((v: string[]) => v.length === 0);
}

export function describe(r: LeftoverReport): string[] {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(r) as [string, string[]][]) {
    if (v.length)
      lines.push(`${k}: ${v.length} (${v.slice(0, 4).join(", ")}${v.length > 4 ? ", ..." : ""})`);
  }
  return lines;
}
