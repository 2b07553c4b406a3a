// Rendering of the configuration files the cluster's processes read (pure).
import { API_SERVER_URL, NET } from "../addressPlan";

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

export interface KubeletConfigInput {
  pki: string;
  containerdSocket: string;
  resolvConf: string;
  reservedCpu: string;
  reservedMemory: string;
  /** Both default to paths outside our state dir (/usr/libexec/..., /var/log/pods). */
  volumePluginDir: string;
  podLogsDir: string;
}

/** KubeletConfiguration: cgroup v1 with cgroupfs, our node IP, DNS and pod CIDR. */
export function kubeletConfig(k: KubeletConfigInput): string {
  return `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# cgroup v1 is in maintenance mode in 1.34: kubelet refuses it unless told not to.
failCgroupV1: false
cgroupDriver: cgroupfs
address: ${NET.nodeIp}
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
tlsCertFile: ${k.pki}/kubelet-serving.crt
tlsPrivateKeyFile: ${k.pki}/kubelet-serving.key
containerRuntimeEndpoint: unix://${k.containerdSocket}
clusterDomain: ${NET.clusterDomain}
clusterDNS:
- ${NET.dnsServiceIp}
podCIDR: ${NET.podCidr}
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

export interface ContainerdConfigInput {
  root: string;
  state: string;
  socket: string;
  sandboxImage: string;
  cniConfDir: string;
  runcRoot: string;
}

/** containerd 1.6 config (version 2): its own root/state, CRI with cgroupfs runc. */
export function containerdConfig(c: ContainerdConfigInput): string {
  const cri = `plugins."io.containerd.grpc.v1.cri"`;
  return `version = 2
root = "${c.root}"
state = "${c.state}"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = "${c.socket}"

[ttrpc]
  address = "${c.socket}.ttrpc"

[plugins."io.containerd.internal.v1.opt"]
  path = "${c.root}/opt"

[${cri}]
  sandbox_image = "${c.sandboxImage}"
  # Root here lacks CAP_SYS_RESOURCE: runc must not raise oom_score_adj.
  restrict_oom_score_adj = true
  disable_apparmor = true
  enable_selinux = false

[${cri}.containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"

[${cri}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

[${cri}.containerd.runtimes.runc.options]
  SystemdCgroup = false
  Root = "${c.runcRoot}"

[${cri}.cni]
  bin_dir = "/usr/lib/cni"
  conf_dir = "${c.cniConfDir}"
  max_conf_num = 1
`;
}

export const CNI_NETWORK = "spark-pods";

/** Bridge CNI for the pod range; IPAM state under our state dir, not /var/lib/cni. */
export function cniConflist(ipamDataDir: string): string {
  return (
    JSON.stringify(
      {
        cniVersion: "0.4.0",
        name: CNI_NETWORK,
        plugins: [
          {
            type: "bridge",
            bridge: NET.bridge,
            isGateway: true,
            ipMasq: true,
            hairpinMode: true,
            ipam: {
              type: "host-local",
              dataDir: ipamDataDir,
              ranges: [[{ subnet: NET.podCidr, gateway: NET.podGateway }]],
              routes: [{ dst: "0.0.0.0/0" }],
            },
          },
          { type: "portmap", capabilities: { portMappings: true } },
        ],
      },
      null,
      2,
    ) + "\n"
  );
}

export interface KubeProxyConfigInput {
  kubeconfig: string;
}

export function kubeProxyConfig(k: KubeProxyConfigInput): string {
  return `apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
bindAddress: ${NET.nodeIp}
clusterCIDR: ${NET.podCidr}
hostnameOverride: ${NET.nodeName}
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

/** The node's resolv.conf for dnsPolicy Default: nothing upstream (no traffic leaves). */
export const NODE_RESOLV_CONF =
  "# spark-platform local cluster: no upstream resolver\noptions ndots:1\n";
