// Where one node keeps its containerd, kubelet and pod state, its volumes, and the files
// written for its processes. Node 1 keeps the places it always had directly under <cache>/cluster/state; a
// later node gets <state>/nodes/<name>/ with the same shape.
import * as path from "node:path";
import type { Layout } from "../clusterLayout";
import type { ClusterNode } from "./clusterNode";

export interface NodeLayout {
  /** containerd's own directory: config, CNI config and IPAM state (root and state below). */
  containerdDir: string;
  containerdRoot: string;
  containerdState: string;
  containerdConfig: string;
  containerdSocket: string;
  cniConfDir: string;
  ipamDir: string;
  runcRoot: string;
  kubeletRoot: string;
  /** kubelet's podLogsDir (its default is /var/log/pods). */
  podLogsDir: string;
  kubeletConfig: string;
  kubeProxyConfig: string;
  /** resolv.conf for dnsPolicy Default pods. */
  resolvConf: string;
  /** Directories of the node's `local` PersistentVolumes (one per volume), kept by `down`. */
  volumesDir: string;
}

export function nodeLayout(l: Layout, node: ClusterNode): NodeLayout {
  const base = node.index === 1 ? l.stateDir : path.join(l.stateDir, "nodes", node.name);
  const containerdDir = path.join(base, "containerd");
  const containerdState = path.join(containerdDir, "state");
  return {
    containerdDir,
    containerdRoot: path.join(containerdDir, "root"),
    containerdState,
    containerdConfig: path.join(containerdDir, "config.toml"),
    containerdSocket: path.join(containerdState, "containerd.sock"),
    cniConfDir: path.join(containerdDir, "cni", "net.d"),
    ipamDir: path.join(containerdDir, "cni", "ipam"),
    runcRoot: path.join(containerdState, "runc"),
    kubeletRoot: path.join(base, "kubelet"),
    podLogsDir: path.join(base, "pod-logs"),
    kubeletConfig: path.join(base, "kubelet-config.yaml"),
    kubeProxyConfig: path.join(base, "kube-proxy-config.yaml"),
    resolvConf: path.join(base, "node-resolv.conf"),
    volumesDir: path.join(base, "volumes"),
  };
}
