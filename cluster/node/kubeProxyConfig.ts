// kube-proxy's configuration file (pure rendering).
import { CLUSTER_NET } from "../addressPlan";
import type { ClusterNode } from "./clusterNode";

export interface KubeProxyConfigInput {
  node: ClusterNode;
  kubeconfig: string;
}

export function kubeProxyConfig(k: KubeProxyConfigInput): string {
  return `apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
bindAddress: ${k.node.nodeIp}
clusterCIDR: ${CLUSTER_NET.podRange}
hostnameOverride: ${k.node.name}
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
clientConnection:
  kubeconfig: ${k.kubeconfig}
iptables:
  # Not needed: the bridge runs in hairpin mode and br_netfilter (bridge-nf-call-iptables=1
  # in the node netns) lets conntrack undo the DNAT of replies bridged between pods.
  masqueradeAll: false
conntrack:
  # Leave host-wide conntrack settings alone (0 = do not change).
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
`;
}
