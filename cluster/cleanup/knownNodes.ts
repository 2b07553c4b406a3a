// Every node the harness may have made and left traces of: the recorded count, a later
// node's state directory, its network namespace, its veth on the host. `down` and a full
// `up` clear them all, whatever --nodes says now.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Layout } from "../clusterLayout";
import { ClusterNode, clusterNode, MAX_NODES } from "../node/clusterNode";
import { recordedNodeCount } from "../nodeCount";
import { run } from "../support/runCommand";
import { linkNames } from "./leftoverParsing";

/** Node indexes named by netns or state directory names (`spark-node`, `spark-node-3`) and
 * host link names (`spk-host`, `spk-host3`); other names are ignored. */
export function nodeIndexesIn(names: readonly string[]): number[] {
  const found = new Set<number>();
  for (const name of names) {
    const m = /^spark-node(?:-(\d+))?$/.exec(name) ?? /^spk-host(\d*)$/.exec(name);
    if (!m) continue;
    const index = m[1] ? Number(m[1]) : 1;
    if (index >= 1 && index <= MAX_NODES && (index === 1 || !m[1]?.startsWith("0")))
      found.add(index);
  }
  return [...found].sort((a, b) => a - b);
}

const list = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

/** Node 1 always, nodes up to the recorded count, and any node with traces left. */
export async function knownNodes(l: Layout): Promise<ClusterNode[]> {
  const links = linkNames((await run("ip", ["-o", "link", "show"])).stdout);
  const indexes = new Set([
    1,
    ...Array.from({ length: recordedNodeCount(l) ?? 1 }, (_, k) => k + 1),
    ...nodeIndexesIn(list(path.join(l.stateDir, "nodes"))),
    ...nodeIndexesIn(list("/run/netns")),
    ...nodeIndexesIn(links),
  ]);
  return [...indexes].sort((a, b) => a - b).map(clusterNode);
}
