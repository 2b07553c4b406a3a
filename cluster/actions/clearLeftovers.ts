// Clears what an earlier run left (processes, mounts, netns, containers, ...) and makes the
// directories this run writes into: of every node the harness ever made (a full `up`), or
// of the nodes about to join a running cluster.
import * as fs from "node:fs";
import { clearLeftovers as clearAll } from "../cleanup/leftoverRemoval";
import { knownNodes } from "../cleanup/knownNodes";
import { ClusterNode, forNode } from "../node/clusterNode";
import { nodeLayout } from "../node/nodeLayout";
import type { UpAction, UpContext } from "./upContext";

function makeDirs(ctx: UpContext, nodes: readonly ClusterNode[]): void {
  const l = ctx.layout;
  const dirs = [l.logDir, l.pidDir, l.etcdDataDir];
  for (const node of nodes) {
    const nl = nodeLayout(l, node);
    dirs.push(nl.kubeletRoot, nl.podLogsDir);
  }
  for (const d of dirs) fs.mkdirSync(d, { recursive: true });
}

export const clearLeftovers: UpAction = {
  name: "clear leftovers",
  async run(ctx) {
    await clearAll(ctx.layout, ctx.procs, await knownNodes(ctx.layout), "cluster");
    makeDirs(ctx, ctx.nodes);
  },
};

/** Only these nodes' leftovers; the control plane and the other nodes keep running. */
export function clearNodeLeftovers(node: ClusterNode): UpAction {
  return {
    name: forNode(node, "clear leftovers"),
    async run(ctx) {
      await clearAll(ctx.layout, ctx.procs, [node], "nodes");
      makeDirs(ctx, [node]);
    },
  };
}
