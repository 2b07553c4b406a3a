// kube-proxy (Services, iptables mode) and kube-router (NetworkPolicy only) on the node.
import * as fs from "node:fs";
import { kubeconfigFile } from "../node/kubeconfigs";
import { kubeProxyConfig } from "../node/kubeProxyConfig";
import { listensInNetns } from "../node/nodeNetwork";
import { commandsOf, UpAction } from "./upContext";

export const startKubeProxyAndRouter: UpAction = {
  name: "kube-proxy, kube-router",
  async run(ctx) {
    const probe = ctx.bins.bin("probe");
    const commands = commandsOf(ctx);
    fs.writeFileSync(
      ctx.nodeLayout.kubeProxyConfig,
      kubeProxyConfig({ node: ctx.node, kubeconfig: kubeconfigFile(ctx.layout, "kube-proxy") }),
    );
    await ctx.procs.startAndWait(
      commands.kubeProxy,
      () => listensInNetns(ctx.node, probe, "127.0.0.1:10256"),
      60000,
    );
    await ctx.procs.startAndWait(
      commands.kubeRouter,
      () => listensInNetns(ctx.node, probe, "127.0.0.1:20244"),
      60000,
    );
  },
};
