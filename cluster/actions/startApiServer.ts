// kube-apiserver, ready when /readyz answers ok.
import { apiReady } from "../adminKubectl";
import { commandsOf, UpAction } from "./upContext";

export const startApiServer: UpAction = {
  name: "kube-apiserver",
  async run(ctx) {
    await ctx.procs.startAndWait(commandsOf(ctx).apiServer, () => apiReady(ctx.layout), 120000);
  },
};
