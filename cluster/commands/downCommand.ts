// `down`: stop everything `up` started and remove what it created (--purge: data too), then
// report anything still there.
import * as fs from "node:fs";
import * as path from "node:path";
import { clearLeftovers } from "../cleanup/leftoverRemoval";
import { scanLeftovers } from "../cleanup/leftoverScan";
import { describe, isClean } from "../cleanup/leftoverParsing";
import type { Layout } from "../clusterLayout";
import { Creator } from "../creator";
import { FIRST_NODE } from "../node/clusterNode";
import { nodeLayout } from "../node/nodeLayout";
import { Procs } from "../node/procs";
import { log } from "../support/clusterLog";

/** Exit code 0 when nothing is left behind, 1 otherwise. */
export async function downCommand(l: Layout, purge: boolean): Promise<number> {
  const procs = new Procs(l.pidDir, l.logDir);
  const nodes = [FIRST_NODE];
  await new Creator(l, { log }).run([{ name: "down", run: () => clearLeftovers(l, procs, nodes) }]);
  if (purge) {
    // Certificates, PostgreSQL/MinIO data and secrets, images imported into containerd
    // (and the probe image tars of earlier versions, kept in harness-images).
    for (const d of [
      l.pkiDir,
      l.servicesDir,
      ...nodes.map((node) => nodeLayout(l, node).containerdDir),
      path.join(l.clusterDir, "harness-images"),
    ]) {
      fs.rmSync(d, { recursive: true, force: true });
    }
    log("purged certificates, service data and imported images");
  }
  const report = await scanLeftovers(l, procs, nodes);
  if (isClean(report)) {
    log("nothing left behind");
    return 0;
  }
  for (const line of describe(report)) log(`left behind: ${line}`);
  return 1;
}
