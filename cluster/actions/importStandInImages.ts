// The platform's stand-in images of cluster/images (Spark, Hive, pyspark-client), built
// (cached) and imported into the node's containerd.
import { standInImages } from "../coreImages";
import { importAll } from "../node/imageImport";
import type { UpAction } from "./upContext";

export const importStandInImages: UpAction = {
  name: "stand-in images",
  async run(ctx) {
    await importAll(ctx.nodeLayout, await standInImages(ctx.layout, ctx.bins));
  },
};
