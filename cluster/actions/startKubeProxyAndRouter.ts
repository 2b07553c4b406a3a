// A node's kube-proxy (Services, iptables mode) and kube-router (NetworkPolicy only).
import * as fs from "node:fs";
import { ClusterNode, forNode } from "../node/clusterNode";
import { kubeconfigFile } from "../node/kubeconfigs";
import { kubeProxyConfig } from "../node/kubeProxyConfig";
import { nodeLayout } from "../node/nodeLayout";
import { listensInNetns } from "../node/nodeNetwork";
import { nodeCommandsOf, UpAction } from "./upContext";

export function startKubeProxyAndRouter(node: ClusterNode): UpAction {
  return {
    name: forNode(node, "kube-proxy, kube-router"),
    async run(ctx) {
      const probe = ctx.bins.bin("probe");
      const commands = nodeCommandsOf(ctx, node);
      fs.writeFileSync(
        nodeLayout(ctx.layout, node).kubeProxyConfig,
        kubeProxyConfig({ node, kubeconfig: kubeconfigFile(ctx.layout, "kube-proxy") }),
      );
      await ctx.procs.startAndWait(
        commands.kubeProxy,
        () => listensInNetns(node, probe, "127.0.0.1:10256"),
        60000,
      );
      await ctx.procs.startAndWait(
        commands.kubeRouter,
        () => listensInNetns(node, probe, "127.0.0.1:20244"),
        60000,
      );
    },
  };
}
