// A node's kubelet with its config, resolv.conf and cgroup root, until the node reports
// Ready; then its pool label (also on a Node registered by an earlier run).
import * as fs from "node:fs";
import * as path from "node:path";
import { kubectlOk, nodeReady } from "../adminKubectl";
import { ensureCgroupRoot } from "../node/cgroupRoot";
import { ClusterNode, forNode, NODE_POOL_LABEL } from "../node/clusterNode";
import { kubeletConfig, NODE_RESOLV_CONF } from "../node/kubeletConfig";
import { nodeLayout } from "../node/nodeLayout";
import { nodeCommandsOf, UpAction } from "./upContext";

/** The control plane's share of this 2-CPU machine, kept from pods. */
const RESERVED_CPU = process.env.SPARK_PLATFORM_CLUSTER_RESERVED_CPU || "200m";
const RESERVED_MEMORY = process.env.SPARK_PLATFORM_CLUSTER_RESERVED_MEMORY || "1Gi";

export function startKubelet(node: ClusterNode): UpAction {
  return {
    name: forNode(node, "kubelet (node Ready)"),
    async run(ctx) {
      const nl = nodeLayout(ctx.layout, node);
      ensureCgroupRoot(node);
      fs.writeFileSync(nl.resolvConf, NODE_RESOLV_CONF);
      fs.writeFileSync(
        nl.kubeletConfig,
        kubeletConfig({
          node,
          pki: ctx.layout.pkiDir,
          containerdSocket: nl.containerdSocket,
          resolvConf: nl.resolvConf,
          reservedCpu: RESERVED_CPU,
          reservedMemory: RESERVED_MEMORY,
          volumePluginDir: path.join(nl.kubeletRoot, "volume-plugins"),
          podLogsDir: nl.podLogsDir,
        }),
      );
      const since = Date.now();
      await ctx.procs.startAndWait(
        nodeCommandsOf(ctx, node).kubelet,
        () => nodeReady(ctx.layout, node, since),
        180000,
      );
      await kubectlOk(ctx.layout, [
        "label",
        "node",
        node.name,
        `${NODE_POOL_LABEL}=${node.pool}`,
        "--overwrite",
      ]);
    },
  };
}
