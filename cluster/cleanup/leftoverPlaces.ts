// Where a run of the harness leaves traces outside its processes: mounts under the nodes'
// kubelet and containerd directories, pod network namespaces, kubelet's cgroups, and a
// few files kubelet, the CNI plugins and containerd's shims put at fixed paths. Each
// function takes the nodes to look at, so one node can be cleared while the others run.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Layout } from "../clusterLayout";
import { cgroupHierarchies, nodeCgroupTop } from "../node/cgroupRoot";
import type { ClusterNode } from "../node/clusterNode";
import { CNI_NETWORK } from "../node/containerdConfig";
import { nodeLayout } from "../node/nodeLayout";
import { run } from "../support/runCommand";
import { cniResultsIn, inCidr, ipv4Addresses, unixSocketsInUse } from "./leftoverParsing";

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

/** The nodes' pod cgroups in every hierarchy: node 1's `kubepods` trees, a later node's
 * whole root (`/spark-node-2`, kubepods below it), parents before children. */
export function kubepodsCgroups(nodes: readonly ClusterNode[]): string[] {
  const dirs: string[] = [];
  const walk = (d: string) => {
    dirs.push(d);
    for (const e of fs.readdirSync(d, { withFileTypes: true }))
      if (e.isDirectory()) walk(path.join(d, e.name));
  };
  for (const h of cgroupHierarchies()) {
    for (const node of nodes) {
      const top = nodeCgroupTop(h, node);
      try {
        if (fs.statSync(top).isDirectory()) walk(top);
      } catch {
        /* hierarchy without this node's cgroups */
      }
    }
  }
  return dirs;
}

/** Pod netns (cni-*) whose eth0 sits in one of the nodes' pod ranges. */
export async function podNetnsByAddress(nodes: readonly ClusterNode[]): Promise<string[]> {
  const out: string[] = [];
  if (!fs.existsSync("/run/netns")) return out;
  const cidrs = nodes.map((n) => n.podCidr);
  for (const n of fs.readdirSync("/run/netns").filter((n) => n.startsWith("cni-"))) {
    const r = await run("ip", ["-n", n, "-4", "-o", "addr", "show"]);
    if (ipv4Addresses(r.stdout).some((ip) => cidrs.some((c) => inCidr(ip, c))))
      out.push(`/run/netns/${n}`);
  }
  return out;
}

/** CNI results of the nodes' pods, container log links into their pod logs and, with
 * `shimSockets`, stale shim sockets: none held in this (the host's) network namespace.
 * Shims run in their node's netns, whose sockets the host's /proc/net/unix does not list,
 * so they are only looked at when no node runs (the whole cluster is being cleared). */
export function ourFiles(l: Layout, nodes: readonly ClusterNode[], shimSockets: boolean): string[] {
  const files: string[] = [];
  const ls = (d: string) => (fs.existsSync(d) ? fs.readdirSync(d) : []);
  const read = (f: string) => {
    try {
      return fs.readFileSync(f, "utf8");
    } catch {
      return "";
    }
  };
  const results = ls(CNI_RESULTS).map((name) => ({
    name,
    text: read(path.join(CNI_RESULTS, name)),
  }));
  const cidrs = nodes.map((n) => n.podCidr);
  for (const f of cniResultsIn(results, CNI_NETWORK, cidrs)) files.push(path.join(CNI_RESULTS, f));
  const podLogs = nodes.map((node) => nodeLayout(l, node).podLogsDir);
  for (const f of ls(CONTAINER_LOG_LINKS)) {
    const p = path.join(CONTAINER_LOG_LINKS, f);
    try {
      const target = fs.readlinkSync(p);
      if (podLogs.some((d) => target.startsWith(d))) files.push(p);
    } catch {
      /* not a link */
    }
  }
  if (!shimSockets) return files;
  const inUse = unixSocketsInUse(
    fs.existsSync("/proc/net/unix") ? fs.readFileSync("/proc/net/unix", "utf8") : "",
  );
  for (const f of ls(SHIM_SOCKETS))
    if (!inUse.has(path.join(SHIM_SOCKETS, f))) files.push(path.join(SHIM_SOCKETS, f));
  return files;
}
