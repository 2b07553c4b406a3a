// containerd's configuration file and the CNI network it hands pods to (pure rendering).
import type { ClusterNode } from "./clusterNode";

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

/** Bridge CNI for the node's pod range; IPAM state under our state dir, not /var/lib/cni.
 * No `ipMasq`: it would masquerade traffic to other nodes' pods too (it exempts only this
 * node's /24); node/nodeRoutes.ts's podMasqueradeRule exempts the whole pod range. */
export function cniConflist(node: ClusterNode, ipamDataDir: string): string {
  return (
    JSON.stringify(
      {
        cniVersion: "0.4.0",
        name: CNI_NETWORK,
        plugins: [
          {
            type: "bridge",
            bridge: node.bridge,
            isGateway: true,
            ipMasq: false,
            hairpinMode: true,
            ipam: {
              type: "host-local",
              dataDir: ipamDataDir,
              ranges: [[{ subnet: node.podCidr, gateway: node.podGateway }]],
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
