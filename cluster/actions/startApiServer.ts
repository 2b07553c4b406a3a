// kube-apiserver, ready when /readyz answers ok.
import { apiReady } from "../adminKubectl";
import { controlPlaneCommandsOf, UpAction } from "./upContext";

export const startApiServer: UpAction = {
  name: "kube-apiserver",
  async run(ctx) {
    await ctx.procs.startAndWait(
      controlPlaneCommandsOf(ctx).apiServer,
      () => apiReady(ctx.layout),
      120000,
    );
  },
};
