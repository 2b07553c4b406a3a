// Team node pools on the two-node cluster: local-prod applied with each release pinned to
// its own pool through `releases[].placement.nodeSelector` (spark-35 on pool-a, node 1;
// spark-41 on pool-b, node 2; `npm run cluster -- up --nodes 2` labels the nodes), and
// every pod of each release, Connect executors and schema-init Jobs included, found on a
// node of its pool. Pure parts first.
import { clusterNode, NODE_POOL_LABEL } from "../../cluster/node/clusterNode";
import { RELEASE_LABEL } from "../../lib/kube/objects";
import type { KubeObject } from "../../tools/kubectl/client";
import { getItems, kubectl } from "./support";
import { readyNodes } from "./twoNodeObjects";

/** Where each release's pods must run. */
export const TEAM_POOLS: Readonly<Record<string, string>> = {
  "spark-35": clusterNode(1).pool,
  "spark-41": clusterNode(2).pool,
};

/**
 * The stack file's releases with each named release's placement narrowed to its pool
 * (its own nodeSelector keys kept); releases not named are returned as they are.
 */
export function pinnedReleases(
  releases: readonly Record<string, unknown>[],
  pools: Readonly<Record<string, string>>,
): Record<string, unknown>[] {
  return releases.map((release) => {
    const pool = pools[release["name"] as string];
    if (!pool) return release;
    const placement = (release["placement"] ?? {}) as Record<string, unknown>;
    const nodeSelector = (placement["nodeSelector"] ?? {}) as Record<string, string>;
    return {
      ...release,
      placement: { ...placement, nodeSelector: { ...nodeSelector, [NODE_POOL_LABEL]: pool } },
    };
  });
}

/** A pod as this check needs it: its release, its node, and what owns it. */
export interface PlacedPod {
  readonly name: string;
  readonly release: string;
  readonly node?: string;
  readonly kind: string;
}

export function placedPods(pods: readonly KubeObject[]): PlacedPod[] {
  return pods.map((p) => ({
    name: p.metadata.name,
    release: p.metadata.labels?.[RELEASE_LABEL] ?? "",
    ...(p.spec?.["nodeName"] ? { node: p.spec["nodeName"] as string } : {}),
    kind: p.metadata.ownerReferences?.[0]?.kind ?? "Pod",
  }));
}

/**
 * One line per pod that is not on a node of its release's pool (or not scheduled), and
 * per pinned release with no pod at all: a check of nothing would pass.
 */
export function placementComplaints(
  pods: readonly PlacedPod[],
  nodePools: Readonly<Record<string, string>>,
  pools: Readonly<Record<string, string>>,
): string[] {
  const complaints: string[] = [];
  for (const [release, pool] of Object.entries(pools)) {
    const own = pods.filter((p) => p.release === release);
    if (own.length === 0) complaints.push(`${release}: no pod found`);
    for (const pod of own) {
      if (!pod.node) complaints.push(`${release}: ${pod.name} is not scheduled`);
      else if (nodePools[pod.node] !== pool)
        complaints.push(
          `${release}: ${pod.name} runs on ${pod.node} (${nodePools[pod.node] ?? "no pool"}), not in ${pool}`,
        );
    }
  }
  return complaints;
}

/** Ready nodes by their pool label. */
export async function nodePools(): Promise<Record<string, string>> {
  const nodes = (
    JSON.parse((await kubectl(["get", "nodes", "-o", "json"])).stdout) as {
      items: KubeObject[];
    }
  ).items;
  const ready = new Set(readyNodes(nodes as unknown as Record<string, unknown>[]));
  return Object.fromEntries(
    nodes
      .filter((n) => ready.has(n.metadata.name))
      .map((n) => [n.metadata.name, n.metadata.labels?.[NODE_POOL_LABEL] ?? ""]),
  );
}

/** Whether every pool TEAM_POOLS names has a Ready node. */
export function poolsPresent(pools: Readonly<Record<string, string>>): boolean {
  const present = new Set(Object.values(pools));
  return Object.values(TEAM_POOLS).every((pool) => present.has(pool));
}

/** Every pod of the releases in these namespaces, placed. */
export async function releasePods(namespaces: readonly string[]): Promise<PlacedPod[]> {
  const pods: KubeObject[] = [];
  for (const ns of namespaces) pods.push(...(await getItems("pods", ns, RELEASE_LABEL)));
  return placedPods(pods);
}
