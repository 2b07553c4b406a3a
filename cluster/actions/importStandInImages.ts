// The platform's stand-in images of cluster/images (Spark, Hive, pyspark-client), built
// (cached) and imported into a node's containerd from the same OCI tarballs.
import { standInImages } from "../coreImages";
import { ClusterNode, forNode } from "../node/clusterNode";
import { importAll } from "../node/imageImport";
import { nodeLayout } from "../node/nodeLayout";
import type { UpAction } from "./upContext";

export function importStandInImages(node: ClusterNode): UpAction {
  return {
    name: forNode(node, "stand-in images"),
    async run(ctx) {
      await importAll(nodeLayout(ctx.layout, node), await standInImages(ctx.layout, ctx.bins));
    },
  };
}
