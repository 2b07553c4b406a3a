// `down`: stop everything `up` started and remove the runtime traces it left, keeping the
// cluster's state so `up` brings the same cluster back (--purge: state and data too), then
// report anything still there.
import * as fs from "node:fs";
import * as path from "node:path";
import { knownNodes } from "../cleanup/knownNodes";
import { clearLeftovers } from "../cleanup/leftoverRemoval";
import { scanLeftovers } from "../cleanup/leftoverScan";
import { describe, isClean } from "../cleanup/leftoverParsing";
import type { Layout } from "../clusterLayout";
import { Creator } from "../creator";
import type { ClusterNode } from "../node/clusterNode";
import { nodeLayout } from "../node/nodeLayout";
import { Procs } from "../node/procs";
import { log } from "../support/clusterLog";

/** What `down --purge` deletes besides what `down` does: the cluster's objects (etcd),
 * certificates, PostgreSQL/MinIO data and secrets, every node's images and volume
 * directories (later nodes' whole state directory), the recorded node count, and the probe
 * image tars of earlier versions. */
export function purgedPaths(l: Layout, nodes: readonly ClusterNode[]): string[] {
  return [
    l.etcdDataDir,
    l.pkiDir,
    l.servicesDir,
    ...nodes.flatMap((node) => {
      const nl = nodeLayout(l, node);
      return [nl.containerdDir, nl.volumesDir];
    }),
    path.join(l.stateDir, "nodes"),
    l.clusterFile,
    path.join(l.clusterDir, "harness-images"),
  ];
}

/** What `down --forget-objects` deletes: the cluster's objects (etcd) and every node's
 * volume directories (their PersistentVolumes go with etcd); images, certificates and the
 * services' data stay, so the next `up` is an empty cluster that imports nothing again. */
export function forgottenPaths(l: Layout, nodes: readonly ClusterNode[]): string[] {
  return [l.etcdDataDir, ...nodes.map((node) => nodeLayout(l, node).volumesDir)];
}

/** What `down` deletes besides stopping the cluster: nothing, its objects, or everything. */
export type DownMode = "keep" | "objects" | "purge";

/** Exit code 0 when nothing is left behind, 1 otherwise. */
export async function downCommand(l: Layout, mode: DownMode): Promise<number> {
  const procs = new Procs(l.pidDir, l.logDir);
  const nodes = await knownNodes(l);
  await new Creator(l, { log }).run([
    { name: "down", run: () => clearLeftovers(l, procs, nodes, "cluster") },
  ]);
  if (mode === "purge") {
    for (const d of purgedPaths(l, nodes)) fs.rmSync(d, { recursive: true, force: true });
    log("purged the cluster's objects, certificates, service data, images and volumes");
  } else if (mode === "objects") {
    for (const d of forgottenPaths(l, nodes)) fs.rmSync(d, { recursive: true, force: true });
    log("forgot the cluster's objects and volumes; kept certificates, images, service data");
  } else {
    log(`kept the cluster's state (etcd, certificates, images, volumes): up brings it back`);
  }
  const report = await scanLeftovers(l, procs, nodes);
  if (isClean(report)) {
    log("nothing left behind");
    return 0;
  }
  for (const line of describe(report)) log(`left behind: ${line}`);
  return 1;
}
