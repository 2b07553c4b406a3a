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

/** Whether an RFC 3339 time (whole seconds, as the API server writes condition times) is
 * at or after `since` (ms), counted in whole seconds. */
export function postedSince(time: string | undefined, since: number): boolean {
  const t = Date.parse(time ?? "");
  return Number.isFinite(t) && t >= Math.floor(since / 1000) * 1000;
}

/** Ready=True; with `since` (ms) also posted at or after it: after `down` the Node object
 * keeps the last run's Ready=True until the new kubelet posts its own status. */
export async function nodeReady(l: Layout, node: ClusterNode, since?: number): Promise<boolean> {
  const ready = `{.status.conditions[?(@.type=="Ready")]`;
  const r = await kubectl(l, [
    "get",
    "node",
    node.name,
    "-o",
    `jsonpath=${ready}.status} ${ready}.lastHeartbeatTime}`,
    "--request-timeout=3s",
  ]);
  const [status, heartbeat] = r.stdout.trim().split(" ");
  return (
    r.code === 0 && status === "True" && (since === undefined || postedSince(heartbeat, since))
  );
}

/** Some pod of the selector became Ready at or after `since` (ms): the pods of a cluster
 * brought back from `down` keep their last Ready condition until their kubelet posts. */
export async function podReadySince(
  l: Layout,
  ns: string,
  selector: string,
  since: number,
): Promise<boolean> {
  const ready = `{.status.conditions[?(@.type=="Ready")]`;
  const r = await kubectl(l, [
    "-n",
    ns,
    "get",
    "pods",
    "-l",
    selector,
    "-o",
    `jsonpath={range .items[*]}${ready}.status} ${ready}.lastTransitionTime}{"\\n"}{end}`,
    "--request-timeout=3s",
  ]);
  if (r.code !== 0) return false;
  return r.stdout
    .split("\n")
    .map((line) => line.trim().split(" "))
    .some(([status, at]) => status === "True" && postedSince(at, since));
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
