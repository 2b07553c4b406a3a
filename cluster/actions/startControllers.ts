// kube-controller-manager and kube-scheduler, then the RBAC kube-router will need.
import { applyServerSide } from "../adminKubectl";
import { asList, kubeRouterRbac } from "../addons";
import { CONTROL_PLANE_NODE } from "../addressPlan";
import { listensInNetns } from "../node/nodeNetwork";
import { controlPlaneCommandsOf, UpAction } from "./upContext";

export const startControllers: UpAction = {
  name: "controller-manager, scheduler",
  async run(ctx) {
    const probe = ctx.bins.bin("probe");
    const commands = controlPlaneCommandsOf(ctx);
    await ctx.procs.startAndWait(
      commands.controllerManager,
      () => listensInNetns(CONTROL_PLANE_NODE, probe, "127.0.0.1:10257"),
      60000,
    );
    await ctx.procs.startAndWait(
      commands.scheduler,
      () => listensInNetns(CONTROL_PLANE_NODE, probe, "127.0.0.1:10259"),
      60000,
    );
    await applyServerSide(ctx.layout, asList(kubeRouterRbac()));
  },
};
