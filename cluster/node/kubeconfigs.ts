// The kubeconfig files of the cluster's users: rendered (pure) with the PEM data embedded,
// and written into the PKI directory after the certificates are issued.
import * as fs from "node:fs";
import * as path from "node:path";
import { API_SERVER_URL, CLUSTER_NET } from "../addressPlan";
import type { Layout } from "../clusterLayout";
import type { ClusterNode } from "./clusterNode";
import { kubeletCertNames } from "./pki";

export interface KubeconfigInput {
  user: string;
  server?: string;
  /** PEM texts, embedded so the file stands alone. */
  ca: string;
  cert: string;
  key: string;
}

const b64 = (s: string) => Buffer.from(s).toString("base64");

export function kubeconfig(k: KubeconfigInput): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: spark-local
  cluster:
    server: ${k.server ?? API_SERVER_URL}
    certificate-authority-data: ${b64(k.ca)}
users:
- name: ${k.user}
  user:
    client-certificate-data: ${b64(k.cert)}
    client-key-data: ${b64(k.key)}
contexts:
- name: ${k.user}@spark-local
  context:
    cluster: spark-local
    user: ${k.user}
current-context: ${k.user}@spark-local
`;
}

/** Users with a kubeconfig, and the API address each uses (the controllers run beside the
 * API server in the control-plane node's netns and use its loopback). Every node's
 * kube-proxy and kube-router share one identity; each kubelet has its own
 * (`kubelet` on node 1, `kubelet-spark-node-2`, ...). */
export function kubeconfigUsers(nodes: readonly ClusterNode[]): Record<string, string> {
  return {
    admin: API_SERVER_URL,
    "controller-manager": `https://127.0.0.1:${CLUSTER_NET.apiPort}`,
    scheduler: `https://127.0.0.1:${CLUSTER_NET.apiPort}`,
    ...Object.fromEntries(nodes.map((n) => [kubeletCertNames(n).client, API_SERVER_URL])),
    "kube-proxy": API_SERVER_URL,
    "kube-router": API_SERVER_URL,
  };
}

export function kubeconfigFile(l: Layout, user: string): string {
  return user === "admin" ? l.adminKubeconfig : path.join(l.pkiDir, `${user}.kubeconfig`);
}

export function writeKubeconfigs(l: Layout, nodes: readonly ClusterNode[]): void {
  const read = (f: string) => fs.readFileSync(path.join(l.pkiDir, f), "utf8");
  for (const [user, server] of Object.entries(kubeconfigUsers(nodes))) {
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
