// Where a run of the harness leaves traces outside its processes: mounts under the nodes'
// kubelet and containerd directories, pod network namespaces, kubelet's cgroups, and a
// few files kubelet, the CNI plugins and containerd's shims put at fixed paths.
import * as fs from "node:fs";
import * as path from "node:path";
import { CLUSTER_NET } from "../addressPlan";
import type { Layout } from "../clusterLayout";
import type { ClusterNode } from "../node/clusterNode";
import { CNI_NETWORK } from "../node/containerdConfig";
import { nodeLayout } from "../node/nodeLayout";
import { run } from "../support/runCommand";
import { inCidr, ipv4Addresses, unixSocketsInUse } from "./leftoverParsing";

const CGROUP_ROOT = "/sys/fs/cgroup";
const CNI_RESULTS = "/var/lib/cni/results";
const CONTAINER_LOG_LINKS = "/var/log/containers";
const SHIM_SOCKETS = "/run/containerd/s";

/** Directories kubelet, the CNI plugins and the controller-manager create at fixed paths
 * whatever they are configured with; removed (deepest first) when nothing else is in them. */
const FIXED_DIRS = [
  "/var/lib/kubelet/device-plugins",
  "/var/lib/kubelet",
  CNI_RESULTS,
  "/var/lib/cni",
  CONTAINER_LOG_LINKS,
];

export function emptyFixedDirs(): string[] {
  return FIXED_DIRS.filter((d) => {
    try {
      return fs
        .readdirSync(d)
        .every((e) => FIXED_DIRS.includes(path.join(d, e)) || e === "kubelet.sock");
    } catch {
      return false;
    }
  });
}

export function ourMountPrefixes(l: Layout, nodes: readonly ClusterNode[]): string[] {
  return nodes.flatMap((node) => {
    const nl = nodeLayout(l, node);
    return [nl.kubeletRoot, nl.containerdRoot, nl.containerdState];
  });
}

export function kubepodsCgroups(): string[] {
  const dirs: string[] = [];
  const walk = (d: string) => {
    dirs.push(d);
    for (const e of fs.readdirSync(d, { withFileTypes: true }))
      if (e.isDirectory()) walk(path.join(d, e.name));
  };
  if (!fs.existsSync(CGROUP_ROOT)) return dirs;
  for (const ctrl of fs.readdirSync(CGROUP_ROOT)) {
    const top = path.join(CGROUP_ROOT, ctrl, "kubepods");
    try {
      if (fs.statSync(top).isDirectory()) walk(top);
    } catch {
      /* controller without kubepods */
    }
  }
  return dirs;
}

/** Pod netns (cni-*) whose eth0 sits in our pod range. */
export async function podNetnsByAddress(): Promise<string[]> {
  const out: string[] = [];
  if (!fs.existsSync("/run/netns")) return out;
  for (const n of fs.readdirSync("/run/netns").filter((n) => n.startsWith("cni-"))) {
    const r = await run("ip", ["-n", n, "-4", "-o", "addr", "show"]);
    if (ipv4Addresses(r.stdout).some((ip) => inCidr(ip, CLUSTER_NET.podRange)))
      out.push(`/run/netns/${n}`);
  }
  return out;
}

/** CNI results of our network, container log links into our pod logs, stale shim sockets. */
export function ourFiles(l: Layout, nodes: readonly ClusterNode[]): string[] {
  const files: string[] = [];
  const ls = (d: string) => (fs.existsSync(d) ? fs.readdirSync(d) : []);
  const podLogs = nodes.map((node) => nodeLayout(l, node).podLogsDir);
  for (const f of ls(CNI_RESULTS))
    if (f.startsWith(`${CNI_NETWORK}-`)) files.push(path.join(CNI_RESULTS, f));
  for (const f of ls(CONTAINER_LOG_LINKS)) {
    const p = path.join(CONTAINER_LOG_LINKS, f);
    try {
      const target = fs.readlinkSync(p);
      if (podLogs.some((d) => target.startsWith(d))) files.push(p);
    } catch {
      /* not a link */
    }
  }
  const inUse = unixSocketsInUse(
    fs.existsSync("/proc/net/unix") ? fs.readFileSync("/proc/net/unix", "utf8") : "",
  );
  for (const f of ls(SHIM_SOCKETS))
    if (!inUse.has(path.join(SHIM_SOCKETS, f))) files.push(path.join(SHIM_SOCKETS, f));
  return files;
}
