// kube-controller-manager and kube-scheduler, then the RBAC kube-router will need.
import { applyServerSide } from "../adminKubectl";
import { asList, kubeRouterRbac } from "../addons";
import { listensInNetns } from "../node/nodeNetwork";
import { commandsOf, UpAction } from "./upContext";

export const startControllers: UpAction = {
  name: "controller-manager, scheduler",
  async run(ctx) {
    const probe = ctx.bins.bin("probe");
    const commands = commandsOf(ctx);
    await ctx.procs.startAndWait(
      commands.controllerManager,
      () => listensInNetns(ctx.node, probe, "127.0.0.1:10257"),
      60000,
    );
    await ctx.procs.startAndWait(
      commands.scheduler,
      () => listensInNetns(ctx.node, probe, "127.0.0.1:10259"),
      60000,
    );
    await applyServerSide(ctx.layout, asList(kubeRouterRbac()));
  },
};
