// Clearing what a run of this harness left on the machine (both `up` and `down` start with
// it): processes recorded by PID, containers, mounts, network namespaces, the veths,
// iptables state in the node netns, kubelet cgroups and a few files outside the state dir.
import * as fs from "node:fs";
import type { Layout } from "../clusterLayout";
import type { ClusterNode } from "../node/clusterNode";
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

/** Names of every process the harness may have recorded, in stop order. */
export const STOP_ORDER = [
  "maven-mirror",
  "minio",
  "kube-router",
  "kube-proxy",
  "kubelet",
  "containerd",
  "kube-scheduler",
  "kube-controller-manager",
  "kube-apiserver",
  "etcd",
];

/** Starts a node's containerd on its old state just long enough to delete every container. */
async function removeContainers(l: Layout, node: ClusterNode, procs: Procs): Promise<string[]> {
  const nl = nodeLayout(l, node);
  if (!fs.existsSync(nl.containerdConfig) || !fs.existsSync(nl.containerdRoot)) return [];
  let started = false;
  if (!(await containerdAnswers(nl))) {
    await procs.start("containerd-cleanup", ON_HOST, [
      "containerd",
      "--config",
      nl.containerdConfig,
    ]);
    started = true;
    if (!(await waitFor(() => containerdAnswers(nl), 30000, 250))) {
      log("cleanup: containerd did not answer; containers left to the next run");
      await procs.stop("containerd-cleanup");
      return [];
    }
  }
  const netns = await removeAllContainers(nl);
  if (started) await procs.stop("containerd-cleanup");
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

/** Flushes iptables and ipsets in a node's netns (they go with it), then deletes it. */
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

/** Clears everything an earlier run of the harness left behind on these nodes. */
export async function clearLeftovers(
  l: Layout,
  procs: Procs,
  nodes: readonly ClusterNode[],
): Promise<void> {
  // kubelet first, so nothing restarts containers while they are removed.
  await step("stop kubelet", () => procs.stop("kubelet"));
  const podNetns = new Set(await podNetnsByAddress());
  for (const node of nodes) {
    for (const n of await step("remove containers", () => removeContainers(l, node, procs)))
      podNetns.add(n);
  }
  await step("stop minio", () => stopMinio(l, procs));
  await step("stop postgresql", () => stopPostgres(l, procs));
  for (const name of STOP_ORDER) await step(`stop ${name}`, () => procs.stop(name));
  for (const r of procs.all()) await step(`stop ${r.name}`, () => procs.stop(r.name));
  await unmount(
    lo.mountsUnder(fs.readFileSync("/proc/self/mounts", "utf8"), [
      ...ourMountPrefixes(l, nodes),
      ...podNetns,
    ]),
  );
  for (const n of podNetns) fs.rmSync(n, { force: true });
  for (const node of nodes) await removeNetwork(node);
  for (const d of lo.cgroupRemovalOrder(kubepodsCgroups())) {
    try {
      fs.rmdirSync(d);
    } catch {
      /* still has tasks: reported by scanLeftovers */
    }
  }
  for (const f of ourFiles(l, nodes)) fs.rmSync(f, { force: true });
  for (const d of emptyFixedDirs()) fs.rmSync(d, { recursive: true, force: true });
  // Run state that is rebuilt on every up (images in the containerd root are kept).
  const nodeState = nodes.flatMap((node) => {
    const nl = nodeLayout(l, node);
    return [nl.kubeletRoot, nl.containerdState, nl.podLogsDir, nl.ipamDir];
  });
  for (const d of [l.etcdDataDir, ...nodeState]) fs.rmSync(d, { recursive: true, force: true });
}
