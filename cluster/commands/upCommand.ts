// `up`: from a bare (or dirty) machine to Ready nodes with working DNS, one action per
// phase (cluster/actions/), run in order by the creator with per-action timings. The
// cluster's state (etcd, certificates, images, volumes) is kept across `down`, so `up`
// brings the same cluster back. On a healthy cluster only the difference in nodes is made:
// nodes joined or removed, the rest left running.
import { applyInfraServices } from "../actions/applyInfraServices";
import { applyPodMonitorCrd } from "../actions/applyPodMonitorCrd";
import { importDerivedImages } from "../actions/importDerivedImages";
import { buildBinaries } from "../actions/buildBinaries";
import { buildCoreImages } from "../actions/buildCoreImages";
import { clearLeftovers, clearNodeLeftovers } from "../actions/clearLeftovers";
import { createNodeNetwork } from "../actions/createNodeNetwork";
import { deployCoreDns } from "../actions/deployCoreDns";
import { fillJarMirror } from "../actions/fillJarMirror";
import { forgetRemovedNodes } from "../actions/forgetRemovedNodes";
import { importStandInImages } from "../actions/importStandInImages";
import { installPrerequisites } from "../actions/installPrerequisites";
import { issueCertificates } from "../actions/issueCertificates";
import { probeFromPod } from "../actions/probeFromPod";
import { reconcileStorage } from "../actions/reconcileStorage";
import { removeNode } from "../actions/removeNode";
import { startApiServer } from "../actions/startApiServer";
import { startContainerd } from "../actions/startContainerd";
import { startControllers } from "../actions/startControllers";
import { startEtcd } from "../actions/startEtcd";
import { startKubelet } from "../actions/startKubelet";
import { startKubeProxyAndRouter } from "../actions/startKubeProxyAndRouter";
import { startSharedServices } from "../actions/startSharedServices";
import { UpAction, upContext } from "../actions/upContext";
import { partBinaries } from "../build/partBinaries";
import { knownNodes } from "../cleanup/knownNodes";
import { nodeStatus, printStatus, statusOf } from "../clusterHealth";
import type { Layout } from "../clusterLayout";
import { Creator } from "../creator";
import {
  ClusterNode,
  clusterNode,
  clusterNodes,
  FIRST_NODE,
  nodeProcessName,
} from "../node/clusterNode";
import { netnsExists } from "../node/nodeNetwork";
import { alive, Procs } from "../node/procs";
import { nodeCountFor, recordedNodeCount, recordNodeCount } from "../nodeCount";
import { log } from "../support/clusterLog";

export interface UpOptions {
  restart: boolean;
  standIns: boolean;
  /** `--nodes <n>`; undefined: as many as the last `up` (1 on a fresh state). */
  nodes?: number;
}

/** Before anything starts: packages and binaries. */
export const PREPARE: readonly UpAction[] = [installPrerequisites, buildBinaries];

/** A node's own processes, in order: containerd, kubelet (until Ready), kube-proxy and
 * kube-router. */
export function nodeProcesses(node: ClusterNode): UpAction[] {
  return [startContainerd(node), startKubelet(node), startKubeProxyAndRouter(node)];
}

/** From a clean slate to Ready nodes with DNS answering from a pod on each. The shared
 * services start in the background beside the control plane; the spark-infra Services
 * await them. */
export function start(nodes: readonly ClusterNode[]): UpAction[] {
  return [
    clearLeftovers,
    ...nodes.map(createNodeNetwork),
    issueCertificates,
    buildCoreImages,
    startSharedServices,
    startEtcd,
    startApiServer,
    startControllers,
    forgetRemovedNodes,
    ...nodes.flatMap(nodeProcesses),
    deployCoreDns,
    applyInfraServices,
    ...nodes.map(probeFromPod),
  ];
}

/** Later nodes joining a healthy cluster (the control plane and node 1 keep running). */
export function join(nodes: readonly ClusterNode[]): UpAction[] {
  return [
    ...nodes.map(clearNodeLeftovers),
    ...nodes.map(createNodeNetwork),
    issueCertificates,
    buildCoreImages,
    ...nodes.flatMap(nodeProcesses),
    ...nodes.map(probeFromPod),
  ];
}

/** Nodes beyond --nodes leaving a healthy cluster. */
export function leave(nodes: readonly ClusterNode[]): UpAction[] {
  return nodes.map(removeNode);
}

/** After the nodes are up (or were already): the storage, the PodMonitor CRD, the platform's
 * images on every node (the derived ones too, when built), and the jars. */
export function finish(opts: UpOptions, nodes: readonly ClusterNode[]): UpAction[] {
  return [
    reconcileStorage,
    applyPodMonitorCrd,
    ...(opts.standIns ? nodes.map(importStandInImages) : []),
    ...(opts.standIns ? nodes.map(importDerivedImages) : []),
    fillJarMirror,
  ];
}

/** What `up` does, decided from what runs. */
export type UpSteps =
  | { kind: "start" }
  | { kind: "healthy" }
  | { kind: "adjust"; join: number[]; leave: number[] };

export interface RunningState {
  restart: boolean;
  /** The control plane, the shared services and node 1 all up and answering. */
  coreHealthy: boolean;
  /** Later nodes (index >= 2) wanted, each with whether all its parts are up. */
  wantedNodes: { index: number; healthy: boolean }[];
  /** Later nodes beyond the wanted count that still run (netns or processes). */
  runningBeyond: number[];
}

export function upSteps(s: RunningState): UpSteps {
  if (s.restart || !s.coreHealthy) return { kind: "start" };
  const joining = s.wantedNodes.filter((n) => !n.healthy).map((n) => n.index);
  if (joining.length === 0 && s.runningBeyond.length === 0) return { kind: "healthy" };
  return { kind: "adjust", join: joining, leave: s.runningBeyond };
}

async function runningState(
  l: Layout,
  procs: Procs,
  nodes: readonly ClusterNode[],
  restart: boolean,
): Promise<RunningState> {
  const core = await statusOf(l, [FIRST_NODE]);
  const coreHealthy = core.every((s) => s.ok);
  const wantedNodes = [];
  for (const node of nodes.filter((n) => n.index > 1)) {
    const parts = coreHealthy ? await nodeStatus(l, node, true) : [];
    wantedNodes.push({ index: node.index, healthy: parts.every((p) => p.ok) && coreHealthy });
  }
  const runs = (node: ClusterNode) => {
    const kubelet = procs.get(nodeProcessName(node, "kubelet"));
    return netnsExists(node) || (kubelet !== undefined && alive(kubelet));
  };
  const runningBeyond = (await knownNodes(l))
    .filter((n) => n.index > nodes.length && runs(n))
    .map((n) => n.index);
  return { restart, coreHealthy, wantedNodes, runningBeyond };
}

const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);

export async function upCommand(l: Layout, opts: UpOptions): Promise<number> {
  const t0 = Date.now();
  const recorded = recordedNodeCount(l);
  const count = nodeCountFor(opts.nodes, recorded);
  if (opts.nodes === undefined && recorded !== undefined && recorded > 1)
    log(`nodes: ${count}, as the last up (--nodes 1 for a single node)`);
  const nodes = clusterNodes(count);
  const procs = new Procs(l.pidDir, l.logDir);
  const creator = new Creator(upContext(l, partBinaries(l), procs, nodes), { log });
  await creator.run(PREPARE);
  const steps = upSteps(await runningState(l, procs, nodes, opts.restart));
  recordNodeCount(l, count);
  if (steps.kind === "healthy") {
    log("already up and healthy: nothing restarted (--restart starts again, state kept)");
  } else if (steps.kind === "adjust") {
    if (steps.leave.length) await creator.run(leave(steps.leave.map(clusterNode)));
    if (steps.join.length) await creator.run(join(steps.join.map(clusterNode)));
    log(`cluster up: ${count} node(s) Ready and DNS answering ${seconds(t0)} s after start`);
  } else {
    await creator.run(start(nodes));
    log(`cluster up: ${count} node(s) Ready and DNS answering ${seconds(t0)} s after start`);
  }
  await creator.run(finish(opts, nodes));
  log(creator.summary());
  log(`total ${seconds(t0)} s; KUBECONFIG=${l.adminKubeconfig}`);
  printStatus(await statusOf(l, nodes));
  return 0;
}
