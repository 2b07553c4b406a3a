// A node that runs but is beyond --nodes: its processes, containers, network (its peer link
// and node 1's routes to it go with its netns), cgroups and runtime state cleared while the
// rest keeps running, then its Node object deleted. Its images and volume directories stay.
import { clearLeftovers } from "../cleanup/leftoverRemoval";
import { ClusterNode } from "../node/clusterNode";
import { forgetNodesBeyond } from "./forgetRemovedNodes";
import type { UpAction } from "./upContext";

export function removeNode(node: ClusterNode): UpAction {
  return {
    name: `remove ${node.name}`,
    async run(ctx) {
      await clearLeftovers(ctx.layout, ctx.procs, [node], "nodes");
      await forgetNodesBeyond(ctx.layout, ctx.nodes.length);
    },
  };
}
