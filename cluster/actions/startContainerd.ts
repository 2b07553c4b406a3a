// A node's containerd (sandbox image: our pause), then the core images imported into it.
import { ClusterNode, forNode } from "../node/clusterNode";
import { startContainerd as start, writeContainerdConfig } from "../node/containerd";
import { importAll } from "../node/imageImport";
import { nodeLayout } from "../node/nodeLayout";
import { builtImages, UpAction } from "./upContext";

export function startContainerd(node: ClusterNode): UpAction {
  return {
    name: forNode(node, "containerd + images"),
    async run(ctx) {
      const images = builtImages(ctx);
      const nl = nodeLayout(ctx.layout, node);
      writeContainerdConfig(node, nl, images.pause);
      await start(node, nl, ctx.procs);
      await importAll(nl, images.tars);
    },
  };
}
