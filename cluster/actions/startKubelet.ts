// The node's kubelet with its config and resolv.conf, until the node reports Ready.
import * as fs from "node:fs";
import * as path from "node:path";
import { nodeReady } from "../adminKubectl";
import { kubeletConfig, NODE_RESOLV_CONF } from "../node/kubeletConfig";
import { commandsOf, UpAction } from "./upContext";

/** The control plane's share of this 2-CPU machine, kept from pods. */
const RESERVED_CPU = process.env.SPARK_PLATFORM_CLUSTER_RESERVED_CPU || "200m";
const RESERVED_MEMORY = process.env.SPARK_PLATFORM_CLUSTER_RESERVED_MEMORY || "1Gi";

export const startKubelet: UpAction = {
  name: "kubelet (node Ready)",
  async run(ctx) {
    const nl = ctx.nodeLayout;
    fs.writeFileSync(nl.resolvConf, NODE_RESOLV_CONF);
    fs.writeFileSync(
      nl.kubeletConfig,
      kubeletConfig({
        node: ctx.node,
        pki: ctx.layout.pkiDir,
        containerdSocket: nl.containerdSocket,
        resolvConf: nl.resolvConf,
        reservedCpu: RESERVED_CPU,
        reservedMemory: RESERVED_MEMORY,
        volumePluginDir: path.join(nl.kubeletRoot, "volume-plugins"),
        podLogsDir: nl.podLogsDir,
      }),
    );
    await ctx.procs.startAndWait(
      commandsOf(ctx).kubelet,
      () => nodeReady(ctx.layout, ctx.node),
      180000,
    );
  },
};
