// Is each part of the cluster running and answering? (`status`, and `up` before it starts)
// Node 1's parts keep their plain names; a later node's carry its name ("spark-node-2
// kubelet").
import * as fs from "node:fs";
import { CLUSTER_NET, CONTROL_PLANE_NODE, SERVICES_IP } from "./addressPlan";
import { apiReady, deploymentReady, nodeReady } from "./adminKubectl";
import type { Layout } from "./clusterLayout";
import { ClusterNode, clusterNodes, nodeProcessName } from "./node/clusterNode";
import { containerdAnswers } from "./node/containerd";
import { nodeLayout } from "./node/nodeLayout";
import { linkExists, netnsExists } from "./node/nodeNetwork";
import { alive, Procs } from "./node/procs";
import { recordedNodeCount } from "./nodeCount";
import { httpOk, pgAnswers } from "./services";

export interface PartStatus {
  part: string;
  ok: boolean;
  detail: string;
}

const CONTROL_PLANE_PROCESSES = [
  "etcd",
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
];
const NODE_PROCESSES = ["containerd", "kubelet", "kube-proxy", "kube-router"];
const SERVICE_PROCESSES = ["postgresql", "minio", "maven-mirror"];

/** Resident memory of a process in MiB (VmRSS), or undefined. */
export function rssMiB(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** A part's name: node 1's plain, a later node's prefixed with the node's name. */
export function nodePart(node: ClusterNode, part: string): string {
  return node.index === 1 ? part : `${node.name} ${part}`;
}

function processStatus(procs: Procs, name: string, part = name): PartStatus {
  const r = procs.get(name);
  const up = r !== undefined && alive(r);
  return {
    part,
    ok: up,
    detail: up && r ? `pid ${r.pid}, rss ${rssMiB(r.pid) ?? "?"} MiB` : "not running",
  };
}

function netnsStatus(node: ClusterNode): PartStatus {
  const network = netnsExists(node);
  return {
    part: nodePart(node, "netns"),
    ok: network,
    detail: network ? `${node.netns}, ${node.hostIf} ${node.hostIp} <-> ${node.nodeIp}` : "absent",
  };
}

/** A node's processes, its containerd's API, its peer link and whether it is Ready (asked
 * only when the API server answers). */
export async function nodeStatus(
  l: Layout,
  node: ClusterNode,
  api: boolean,
): Promise<PartStatus[]> {
  const procs = new Procs(l.pidDir, l.logDir);
  const out = [netnsStatus(node)];
  for (const p of NODE_PROCESSES)
    out.push(processStatus(procs, nodeProcessName(node, p), nodePart(node, p)));
  if (node.peer) {
    const peer = node.peer;
    const up = netnsExists(node) && (await linkExists(peer.nodeIf, node.netns));
    out.push({
      part: nodePart(node, "peer link"),
      ok: up,
      detail: up ? `${peer.nodeIf} ${peer.nodeIp} <-> ${peer.controlPlaneIp}` : "absent",
    });
  }
  const ready = api && (await nodeReady(l, node));
  out.push({
    part: nodePart(node, "node Ready"),
    ok: ready,
    detail: ready ? node.name : "not Ready",
  });
  const cd = await containerdAnswers(nodeLayout(l, node));
  out.push({
    part: nodePart(node, "containerd api"),
    ok: cd,
    detail: cd ? "answers" : "no answer",
  });
  return out;
}

/** Every part: node 1's network and the control plane, node 1's processes, the shared
 * services, the API and DNS, then each later node's parts. `nodes` defaults to the count
 * the last `up` recorded. */
export async function statusOf(
  l: Layout,
  nodes: readonly ClusterNode[] = clusterNodes(recordedNodeCount(l) ?? 1),
): Promise<PartStatus[]> {
  const procs = new Procs(l.pidDir, l.logDir);
  const first = CONTROL_PLANE_NODE;
  // Without our netns and veth, 10.201.0.x is routed like any other address, off this
  // machine: the network probes below run only when the netns is there.
  const network = netnsExists(first);
  const probe = <T>(check: () => Promise<T>, absent: T): Promise<T> =>
    network ? check() : Promise.resolve(absent);
  const api = await probe(() => apiReady(l), false);
  const firstNode = await nodeStatus(l, first, api);
  const byPart = (part: string) => firstNode.find((s) => s.part === part) as PartStatus;
  const out: PartStatus[] = [byPart("netns")];
  for (const name of CONTROL_PLANE_PROCESSES) out.push(processStatus(procs, name));
  for (const name of NODE_PROCESSES) out.push(byPart(name));
  for (const name of SERVICE_PROCESSES) out.push(processStatus(procs, name));
  out.push({
    part: "api readyz",
    ok: api,
    detail: api ? `https://${first.nodeIp}:${CLUSTER_NET.apiPort}` : "no answer",
  });
  out.push(byPart("node Ready"));
  const dns = api && (await deploymentReady(l, "kube-system", "coredns"));
  out.push({
    part: "coredns",
    ok: dns,
    detail: dns ? `kube-dns ${CLUSTER_NET.dnsServiceIp}` : "not ready",
  });
  out.push(byPart("containerd api"));
  const pg = await probe(() => pgAnswers(l), false);
  out.push({ part: "postgresql login", ok: pg, detail: `${SERVICES_IP}:${CLUSTER_NET.pgPort}` });
  const minio = await probe(
    () => httpOk(`http://${SERVICES_IP}:${CLUSTER_NET.minioPort}/minio/health/live`),
    false,
  );
  out.push({
    part: "minio health",
    ok: minio,
    detail: `http://${SERVICES_IP}:${CLUSTER_NET.minioPort}`,
  });
  const mirror = await probe(
    () => httpOk(`http://${SERVICES_IP}:${CLUSTER_NET.mirrorPort}/`),
    false,
  );
  out.push({
    part: "maven mirror",
    ok: mirror,
    detail: `http://${SERVICES_IP}:${CLUSTER_NET.mirrorPort}/ -> ${l.mavenMirrorDir}`,
  });
  for (const node of nodes.filter((n) => n.index !== 1))
    out.push(...(await nodeStatus(l, node, api)));
  return out;
}

export function printStatus(st: PartStatus[]): void {
  const w = Math.max(...st.map((s) => s.part.length));
  for (const s of st)
    process.stderr.write(`  ${s.part.padEnd(w)}  ${s.ok ? "up  " : "DOWN"}  ${s.detail}\n`);
}
