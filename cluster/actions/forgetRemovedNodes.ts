// Node objects of nodes the cluster no longer has (an earlier `up --nodes 2`, now fewer):
// deleted, so the pod garbage collector frees their pods and their controllers place them
// again on the nodes that run (a pod bound to a volume of a deleted node stays Pending).
import { kubectl, kubectlOk } from "../adminKubectl";
import type { Layout } from "../clusterLayout";
import { clusterNode, MAX_NODES } from "../node/clusterNode";
import { log } from "../support/clusterLog";
import type { UpAction } from "./upContext";

/** Names of the harness's nodes (spark-node, spark-node-<n>) beyond the first `count`. */
export function nodesBeyond(names: readonly string[], count: number): string[] {
  const ours = new Map(
    Array.from({ length: MAX_NODES }, (_, k) => clusterNode(k + 1)).map((n) => [n.name, n.index]),
  );
  return names.filter((name) => (ours.get(name) ?? 0) > count);
}

export async function forgetNodesBeyond(l: Layout, count: number): Promise<void> {
  const r = await kubectl(l, ["get", "nodes", "-o", "jsonpath={.items[*].metadata.name}"]);
  const stale = nodesBeyond(r.stdout.trim().split(/\s+/).filter(Boolean), count);
  for (const name of stale) {
    await kubectlOk(l, ["delete", "node", name, "--wait=false"]);
    log(`node ${name} deleted: the cluster now has ${count} node(s)`);
  }
}

export const forgetRemovedNodes: UpAction = {
  name: "nodes beyond --nodes forgotten",
  async run(ctx) {
    await forgetNodesBeyond(ctx.layout, ctx.nodes.length);
  },
};
