// A later node's own cgroup root (`/spark-node-2` in every hierarchy): the kubelet refuses a
// cgroupRoot that does not exist, and two kubelets under one root would fight over kubepods.
// Node 1 keeps the top (`/`), where its kubepods always were.
import * as fs from "node:fs";
import * as path from "node:path";
import type { ClusterNode } from "./clusterNode";

export const CGROUP_FS = "/sys/fs/cgroup";

/** Mounted hierarchies under /sys/fs/cgroup (cpu, memory, ..., unified), symlinks skipped
 * (a combined `cpu,cpuacct` mount is reached once). */
export function cgroupHierarchies(cgroupFs = CGROUP_FS): string[] {
  if (!fs.existsSync(cgroupFs)) return [];
  return fs
    .readdirSync(cgroupFs, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(cgroupFs, e.name, "cgroup.procs")))
    .map((e) => path.join(cgroupFs, e.name));
}

/** Where a node's pods live in one hierarchy: `<h>/kubepods` (node 1) or `<h>/<node>` (the
 * node's root, kubepods below it); what cleanup removes. */
export function nodeCgroupTop(hierarchy: string, node: ClusterNode): string {
  return node.cgroupRoot === "/"
    ? path.join(hierarchy, "kubepods")
    : path.join(hierarchy, node.cgroupRoot);
}

/** Creates the node's cgroup root in every hierarchy; a new cpuset cgroup gets its parent's
 * cpus and mems (empty ones would refuse every task). Nothing to do on node 1. */
export function ensureCgroupRoot(node: ClusterNode): void {
  if (node.cgroupRoot === "/") return;
  for (const h of cgroupHierarchies()) {
    const dir = path.join(h, node.cgroupRoot);
    fs.mkdirSync(dir, { recursive: true });
    for (const f of ["cpuset.cpus", "cpuset.mems"]) {
      const own = path.join(dir, f);
      if (!fs.existsSync(own) || fs.readFileSync(own, "utf8").trim()) continue;
      fs.writeFileSync(own, fs.readFileSync(path.join(h, f), "utf8").trim());
    }
  }
}
