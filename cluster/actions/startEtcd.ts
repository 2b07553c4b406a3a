// etcd on the node netns' loopback.
import { CONTROL_PLANE_NODE } from "../addressPlan";
import { listensInNetns } from "../node/nodeNetwork";
import { controlPlaneCommandsOf, UpAction } from "./upContext";

export const startEtcd: UpAction = {
  name: "etcd",
  async run(ctx) {
    const probe = ctx.bins.bin("probe");
    await ctx.procs.startAndWait(
      controlPlaneCommandsOf(ctx).etcd,
      () => listensInNetns(CONTROL_PLANE_NODE, probe, "127.0.0.1:2379"),
      60000,
    );
  },
};
