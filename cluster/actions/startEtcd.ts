// etcd on the node netns' loopback.
import { listensInNetns } from "../node/nodeNetwork";
import { commandsOf, UpAction } from "./upContext";

export const startEtcd: UpAction = {
  name: "etcd",
  async run(ctx) {
    const probe = ctx.bins.bin("probe");
    await ctx.procs.startAndWait(
      commandsOf(ctx).etcd,
      () => listensInNetns(ctx.node, probe, "127.0.0.1:2379"),
      60000,
    );
  },
};
