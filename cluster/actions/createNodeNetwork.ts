// A node's network namespace, its veth pair to the host and, on a later node, its peer link
// to node 1 with the routes on both sides (node 1's netns must exist: its action runs first).
import { CONTROL_PLANE_NODE } from "../addressPlan";
import { ClusterNode, forNode } from "../node/clusterNode";
import { ensureNodeNetwork, ensureNodeRoutes } from "../node/nodeNetwork";
import { ensurePeerLink } from "../node/peerLink";
import type { UpAction } from "./upContext";

export function createNodeNetwork(node: ClusterNode): UpAction {
  return {
    name: forNode(node, "node network"),
    async run() {
      await ensureNodeNetwork(node);
      if (node.peer) {
        await ensurePeerLink(CONTROL_PLANE_NODE, node);
        await ensureNodeRoutes(node, CONTROL_PLANE_NODE);
      }
    },
  };
}
