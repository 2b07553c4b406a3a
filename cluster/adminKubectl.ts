// kubectl (the one we built, 1.34) against the local cluster as admin, and the readiness
// questions the harness asks through it.
import * as fs from "node:fs";
import { partBinaries } from "./build/partBinaries";
import type { Layout } from "./clusterLayout";
import type { ClusterNode } from "./node/clusterNode";
import { run, RunResult, runOk } from "./support/runCommand";

export function kubectlPath(l: Layout): string {
  return partBinaries(l).bin("kubectl");
}

export function kubectl(l: Layout, args: string[], input?: string): Promise<RunResult> {
  return run(
    kubectlPath(l),
    ["--kubeconfig", l.adminKubeconfig, ...args],
    input === undefined ? {} : { input },
  );
}

export function kubectlOk(l: Layout, args: string[], input?: string): Promise<string> {
  return runOk(
    kubectlPath(l),
    ["--kubeconfig", l.adminKubeconfig, ...args],
    input === undefined ? {} : { input },
  );
}

/** `kubectl apply --server-side` of a List (the harness owns these objects outright). */
export function applyServerSide(l: Layout, list: string): Promise<string> {
  return kubectlOk(l, ["apply", "--server-side", "--force-conflicts", "-f", "-"], list);
}

export async function apiReady(l: Layout): Promise<boolean> {
  if (!fs.existsSync(l.adminKubeconfig)) return false;
  const r = await kubectl(l, ["get", "--raw", "/readyz", "--request-timeout=3s"]);
  return r.code === 0 && r.stdout.trim() === "ok";
}

export async function nodeReady(l: Layout, node: ClusterNode): Promise<boolean> {
  const r = await kubectl(l, [
    "get",
    "node",
    node.name,
    "-o",
    `jsonpath={.status.conditions[?(@.type=="Ready")].status}`,
    "--request-timeout=3s",
  ]);
  return r.code === 0 && r.stdout.trim() === "True";
}

export async function deploymentReady(l: Layout, ns: string, name: string): Promise<boolean> {
  const r = await kubectl(l, [
    "-n",
    ns,
    "get",
    "deployment",
    name,
    "-o",
    "jsonpath={.status.readyReplicas}",
    "--request-timeout=3s",
  ]);
  return r.code === 0 && Number(r.stdout.trim() || "0") >= 1;
}
