// Clearing what a run of this harness left on the machine (both `up` and `down` start with
// it): processes recorded by PID, containers, mounts, network namespaces, the veths,
// iptables state in the node netns, kubelet cgroups and a few files outside the state dir.
// The cluster's data stays: etcd, the PKI, images, volume directories, the shared
// services' data (`down --purge` removes those, commands/downCommand.ts).
import * as fs from "node:fs";
import type { Layout } from "../clusterLayout";
import { ClusterNode, nodeProcessName } from "../node/clusterNode";
import { containerdAnswers, removeAllContainers } from "../node/containerd";
import { nodeLayout } from "../node/nodeLayout";
import { netnsExists, removeNodeNetwork } from "../node/nodeNetwork";
import { ON_HOST, Procs } from "../node/procs";
import { stopMinio, stopPostgres } from "../services";
import { log } from "../support/clusterLog";
import { waitFor } from "../support/polling";
import { run, succeeds } from "../support/runCommand";
import * as lo from "./leftoverParsing";
import {
  emptyFixedDirs,
  kubepodsCgroups,
  ourFiles,
  ourMountPrefixes,
  podNetnsByAddress,
} from "./leftoverPlaces";

/** `cluster`: everything (`down`, a full `up`); `nodes`: only the given nodes, while the
 * control plane, the shared services and the other nodes keep running. */
export type CleanupScope = "cluster" | "nodes";

/** Record names of the processes to stop, in order: per node kube-router, kube-proxy,
 * kubelet, containerd; with the whole cluster the mirror and MinIO first and the control
 * plane last. */
export function stopOrder(nodes: readonly ClusterNode[], scope: CleanupScope): string[] {
  const perNode = nodes.flatMap((node) =>
    ["kube-router", "kube-proxy", "kubelet", "containerd"].map((p) => nodeProcessName(node, p)),
  );
  if (scope === "nodes") return perNode;
  return [
    "maven-mirror",
    "minio",
    ...perNode,
    "kube-scheduler",
    "kube-controller-manager",
    "kube-apiserver",
    "etcd",
  ];
}

/** Starts a node's containerd on its old state just long enough to delete every container. */
async function removeContainers(l: Layout, node: ClusterNode, procs: Procs): Promise<string[]> {
  const nl = nodeLayout(l, node);
  if (!fs.existsSync(nl.containerdConfig) || !fs.existsSync(nl.containerdRoot)) return [];
  const name = nodeProcessName(node, "containerd-cleanup");
  let started = false;
  if (!(await containerdAnswers(nl))) {
    await procs.start(name, ON_HOST, ["containerd", "--config", nl.containerdConfig]);
    started = true;
    if (!(await waitFor(() => containerdAnswers(nl), 30000, 250))) {
      log(`cleanup: ${node.name}'s containerd did not answer; containers left to the next run`);
      await procs.stop(name);
      return [];
    }
  }
  const netns = await removeAllContainers(nl);
  if (started) await procs.stop(name);
  return netns;
}

async function unmount(points: string[]): Promise<void> {
  for (const m of points) {
    if (!(await succeeds("umount", [m]))) await run("umount", ["-l", m]);
  }
}

/** Runs one cleanup step, naming it when it is slow. */
async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const start = Date.now();
  const v = await fn();
  if (Date.now() - start > 1000)
    log(`cleanup: ${name} took ${((Date.now() - start) / 1000).toFixed(1)}s`);
  return v;
}

/** Flushes iptables and ipsets in a node's netns (they go with it), then deletes it (a later
 * node's peer link goes with it, and node 1's routes to it). */
async function removeNetwork(node: ClusterNode): Promise<void> {
  if (netnsExists(node)) {
    // Flush first in case something still holds the namespace open.
    const inNode = (...args: string[]) => run("ip", ["netns", "exec", node.netns, ...args]);
    await inNode("iptables", "-F");
    for (const t of ["nat", "mangle", "filter", "raw"]) await inNode("iptables", "-t", t, "-F");
    for (const t of ["nat", "mangle", "filter", "raw"]) await inNode("iptables", "-t", t, "-X");
    await inNode("ipset", "destroy");
  }
  await removeNodeNetwork(node);
}

/** Removes a directory tree unless something is still mounted below it (a volume's data
 * would go with it): reported and left for the next run. */
function removeUnlessMounted(dir: string): void {
  const still = lo.mountsUnder(fs.readFileSync("/proc/self/mounts", "utf8"), [dir]);
  if (still.length) {
    log(`cleanup: ${still.length} mount(s) still under ${dir} (${still[0]}); left in place`);
    return;
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Clears what an earlier run of the harness left behind on these nodes (and, with the
 * `cluster` scope, of the control plane and the shared services). */
export async function clearLeftovers(
  l: Layout,
  procs: Procs,
  nodes: readonly ClusterNode[],
  scope: CleanupScope = "cluster",
): Promise<void> {
  // kubelets first, so nothing restarts containers while they are removed.
  for (const node of nodes) {
    const kubelet = nodeProcessName(node, "kubelet");
    await step(`stop ${kubelet}`, () => procs.stop(kubelet));
  }
  const podNetns = new Set(await podNetnsByAddress(nodes));
  for (const node of nodes) {
    for (const n of await step("remove containers", () => removeContainers(l, node, procs)))
      podNetns.add(n);
  }
  if (scope === "cluster") {
    await step("stop minio", () => stopMinio(l, procs));
    await step("stop postgresql", () => stopPostgres(l, procs));
  }
  for (const name of stopOrder(nodes, scope)) await step(`stop ${name}`, () => procs.stop(name));
  if (scope === "cluster")
    for (const r of procs.all()) await step(`stop ${r.name}`, () => procs.stop(r.name));
  await unmount(
    lo.mountsUnder(fs.readFileSync("/proc/self/mounts", "utf8"), [
      ...ourMountPrefixes(l, nodes),
      ...podNetns,
    ]),
  );
  for (const n of podNetns) fs.rmSync(n, { force: true });
  for (const node of nodes) await removeNetwork(node);
  for (const d of lo.cgroupRemovalOrder(kubepodsCgroups(nodes))) {
    try {
      fs.rmdirSync(d);
    } catch {
      /* still has tasks: reported by scanLeftovers */
    }
  }
  for (const f of ourFiles(l, nodes, scope === "cluster")) fs.rmSync(f, { force: true });
  if (scope === "cluster")
    for (const d of emptyFixedDirs()) fs.rmSync(d, { recursive: true, force: true });
  // Run state rebuilt on every up: the kubelet's pod directories, containerd's runtime
  // state, pod logs, the pods' address leases (the killed sandboxes never released them).
  for (const node of nodes) {
    const nl = nodeLayout(l, node);
    removeUnlessMounted(nl.kubeletRoot);
    for (const d of [nl.containerdState, nl.podLogsDir, nl.ipamDir])
      fs.rmSync(d, { recursive: true, force: true });
  }
}
