// The kubelet's configuration file and the resolv.conf it hands to dnsPolicy Default pods
// (pure rendering).
import { CLUSTER_NET } from "../addressPlan";
import type { ClusterNode } from "./clusterNode";
import { kubeletCertNames } from "./pki";

export interface KubeletConfigInput {
  node: ClusterNode;
  pki: string;
  containerdSocket: string;
  resolvConf: string;
  reservedCpu: string;
  reservedMemory: string;
  /** Both default to paths outside our state dir (/usr/libexec/..., /var/log/pods). */
  volumePluginDir: string;
  podLogsDir: string;
}

/** KubeletConfiguration: cgroup v1 with cgroupfs under the node's own cgroup root, the
 * node's IP, pod CIDR and serving certificate, cluster DNS. */
export function kubeletConfig(k: KubeletConfigInput): string {
  const serving = kubeletCertNames(k.node).serving;
  return `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# cgroup v1 is in maintenance mode in 1.34: kubelet refuses it unless told not to.
failCgroupV1: false
cgroupDriver: cgroupfs
# Pods under <cgroupRoot>/kubepods: each kubelet on this machine has a root of its own.
cgroupRoot: ${k.node.cgroupRoot}
address: ${k.node.nodeIp}
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: ${k.pki}/ca.crt
authorization:
  mode: Webhook
tlsCertFile: ${k.pki}/${serving}.crt
tlsPrivateKeyFile: ${k.pki}/${serving}.key
containerRuntimeEndpoint: unix://${k.containerdSocket}
clusterDomain: ${CLUSTER_NET.clusterDomain}
clusterDNS:
- ${CLUSTER_NET.dnsServiceIp}
podCIDR: ${k.node.podCidr}
resolvConf: ${k.resolvConf}
# The control plane runs on this 2-CPU machine beside the pods.
kubeReserved:
  cpu: ${k.reservedCpu}
  memory: ${k.reservedMemory}
systemReserved:
  cpu: 100m
  memory: 256Mi
evictionHard:
  memory.available: 200Mi
  nodefs.available: 2%
  imagefs.available: 2%
  nodefs.inodesFree: 2%
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
maxPods: 110
serializeImagePulls: false
failSwapOn: false
volumePluginDir: ${k.volumePluginDir}
podLogsDir: ${k.podLogsDir}
protectKernelDefaults: false
makeIPTablesUtilChains: false
`;
}

/** The node's resolv.conf for dnsPolicy Default: nothing upstream (no traffic leaves). */
export const NODE_RESOLV_CONF =
  "# spark-platform local cluster: no upstream resolver\noptions ndots:1\n";
