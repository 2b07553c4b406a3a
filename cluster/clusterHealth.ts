// Is each part of the cluster running and answering? (`status`, and `up` before it starts)
import * as fs from "node:fs";
import { CLUSTER_NET, CONTROL_PLANE_NODE, SERVICES_IP } from "./addressPlan";
import { apiReady, deploymentReady, nodeReady } from "./adminKubectl";
import type { Layout } from "./clusterLayout";
import type { ClusterNode } from "./node/clusterNode";
import { containerdAnswers } from "./node/containerd";
import { nodeLayout } from "./node/nodeLayout";
import { netnsExists } from "./node/nodeNetwork";
import { alive, Procs } from "./node/procs";
import { httpOk, pgAnswers } from "./services";

export interface PartStatus {
  part: string;
  ok: boolean;
  detail: string;
}

const PROCESSES = [
  "etcd",
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "containerd",
  "kubelet",
  "kube-proxy",
  "kube-router",
  "postgresql",
  "minio",
  "maven-mirror",
];

/** Resident memory of a process in MiB (VmRSS), or undefined. */
export function rssMiB(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

export async function statusOf(
  l: Layout,
  node: ClusterNode = CONTROL_PLANE_NODE,
): Promise<PartStatus[]> {
  const procs = new Procs(l.pidDir, l.logDir);
  const out: PartStatus[] = [];
  // Without our netns and veth, 10.201.0.x is routed like any other address, off this
  // machine: the network probes below run only when the netns is there.
  const network = netnsExists(node);
  out.push({
    part: "netns",
    ok: network,
    detail: network ? `${node.netns}, ${node.hostIf} ${node.hostIp} <-> ${node.nodeIp}` : "absent",
  });
  for (const name of PROCESSES) {
    const r = procs.get(name);
    const up = r !== undefined && alive(r);
    out.push({
      part: name,
      ok: up,
      detail: up && r ? `pid ${r.pid}, rss ${rssMiB(r.pid) ?? "?"} MiB` : "not running",
    });
  }
  const probe = <T>(check: () => Promise<T>, absent: T): Promise<T> =>
    network ? check() : Promise.resolve(absent);
  const api = await probe(() => apiReady(l), false);
  out.push({
    part: "api readyz",
    ok: api,
    detail: api ? `https://${CONTROL_PLANE_NODE.nodeIp}:${CLUSTER_NET.apiPort}` : "no answer",
  });
  const ready = api && (await nodeReady(l, node));
  out.push({ part: "node Ready", ok: ready, detail: ready ? node.name : "not Ready" });
  const dns = api && (await deploymentReady(l, "kube-system", "coredns"));
  out.push({
    part: "coredns",
    ok: dns,
    detail: dns ? `kube-dns ${CLUSTER_NET.dnsServiceIp}` : "not ready",
  });
  const cd = await containerdAnswers(nodeLayout(l, node));
  out.push({ part: "containerd api", ok: cd, detail: cd ? "answers" : "no answer" });
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
  return out;
}

export function printStatus(st: PartStatus[]): void {
  const w = Math.max(...st.map((s) => s.part.length));
  for (const s of st)
    process.stderr.write(`  ${s.part.padEnd(w)}  ${s.ok ? "up  " : "DOWN"}  ${s.detail}\n`);
}
