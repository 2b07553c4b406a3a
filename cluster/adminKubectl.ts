// kubectl (the one we built, 1.34) against the local cluster as admin.
import * as fs from "node:fs";
import * as path from "node:path";
import { partBinaries } from "./build/ensureBuilt";
import { kubeconfig } from "./node/kubeletConfig";
import { run, RunResult, runOk } from "./support/runCommand";
import { API_SERVER_URL, NET } from "./addressPlan";
import { Layout } from "./clusterLayout";

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

/** Users with a kubeconfig, and the API address each uses. */
export const KUBECONFIG_USERS: Record<string, string> = {
  admin: API_SERVER_URL,
  "controller-manager": `https://127.0.0.1:${NET.apiPort}`,
  scheduler: `https://127.0.0.1:${NET.apiPort}`,
  kubelet: API_SERVER_URL,
  "kube-proxy": API_SERVER_URL,
  "kube-router": API_SERVER_URL,
};

export function kubeconfigFile(l: Layout, user: string): string {
  return user === "admin" ? l.adminKubeconfig : path.join(l.pkiDir, `${user}.kubeconfig`);
}

export function writeKubeconfigs(l: Layout): void {
  const read = (f: string) => fs.readFileSync(path.join(l.pkiDir, f), "utf8");
  for (const [user, server] of Object.entries(KUBECONFIG_USERS)) {
    const text = kubeconfig({
      user,
      server,
      ca: read("ca.crt"),
      cert: read(`${user}.crt`),
      key: read(`${user}.key`),
    });
    fs.writeFileSync(kubeconfigFile(l, user), text, { mode: 0o600 });
  }
}

export async function apiReady(l: Layout): Promise<boolean> {
  if (!fs.existsSync(l.adminKubeconfig)) return false;
  const r = await kubectl(l, ["get", "--raw", "/readyz", "--request-timeout=3s"]);
  return r.code === 0 && r.stdout.trim() === "ok";
}

export async function nodeReady(l: Layout): Promise<boolean> {
  const r = await kubectl(l, [
    "get",
    "node",
    NET.nodeName,
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
