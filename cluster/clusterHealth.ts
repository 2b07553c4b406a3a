// `status`: is each part running and answering?
import * as fs from "node:fs";
import { containerdAnswers } from "./node/containerd";
import { apiReady, deploymentReady, nodeReady } from "./adminKubectl";
import { NET } from "./addressPlan";
import { netnsExists } from "./node/nodeNetwork";
import { Layout } from "./clusterLayout";
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

export async function statusOf(l: Layout): Promise<PartStatus[]> {
  const procs = new Procs(l.pidDir, l.logDir);
  const out: PartStatus[] = [];
  // Without our netns and veth, 10.201.0.x is routed like any other address, off this
  // machine: the network probes below run only when the netns is there.
  const network = netnsExists();
  out.push({
    part: "netns",
    ok: network,
    detail: network ? `${NET.netns}, ${NET.hostIf} ${NET.hostIp} <-> ${NET.nodeIp}` : "absent",
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
    detail: api ? `https://${NET.nodeIp}:${NET.apiPort}` : "no answer",
  });
  const node = api && (await nodeReady(l));
  out.push({ part: "node Ready", ok: node, detail: node ? NET.nodeName : "not Ready" });
  const dns = api && (await deploymentReady(l, "kube-system", "coredns"));
  out.push({
    part: "coredns",
    ok: dns,
    detail: dns ? `kube-dns ${NET.dnsServiceIp}` : "not ready",
  });
  const cd = await containerdAnswers(l);
  out.push({ part: "containerd api", ok: cd, detail: cd ? "answers" : "no answer" });
  const pg = await probe(() => pgAnswers(l), false);
  out.push({ part: "postgresql login", ok: pg, detail: `${NET.hostIp}:${NET.pgPort}` });
  const minio = await probe(
    () => httpOk(`http://${NET.hostIp}:${NET.minioPort}/minio/health/live`),
    false,
  );
  out.push({ part: "minio health", ok: minio, detail: `http://${NET.hostIp}:${NET.minioPort}` });
  const mirror = await probe(() => httpOk(`http://${NET.hostIp}:${NET.mirrorPort}/`), false);
  out.push({
    part: "maven mirror",
    ok: mirror,
    detail: `http://${NET.hostIp}:${NET.mirrorPort}/ -> ${l.mavenMirrorDir}`,
  });
  return out;
}

export function printStatus(st: PartStatus[]): void {
  const w = Math.max(...st.map((s) => s.part.length));
  for (const s of st)
    process.stderr.write(`  ${s.part.padEnd(w)}  ${s.ok ? "up  " : "DOWN"}  ${s.detail}\n`);
}
