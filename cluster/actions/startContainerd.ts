// The node's containerd (sandbox image: our pause), then the core images imported into it.
import { startContainerd as start, writeContainerdConfig } from "../node/containerd";
import { importAll } from "../node/imageImport";
import { builtImages, UpAction } from "./upContext";

export const startContainerd: UpAction = {
  name: "containerd + images",
  async run(ctx) {
    const images = builtImages(ctx);
    writeContainerdConfig(ctx.node, ctx.nodeLayout, images.pause);
    await start(ctx.node, ctx.nodeLayout, ctx.procs);
    await importAll(ctx.nodeLayout, images.tars);
  },
};
