// `down`: stop everything `up` started and remove what it created.
import * as fs from "node:fs";
import * as path from "node:path";
import { clearLeftovers, scanLeftovers } from "../cleanup/leftoverRemoval";
import { log, phase } from "../support/runCommand";
import { describe, isClean } from "../cleanup/leftoverParsing";
import { Layout } from "../clusterLayout";
import { Procs } from "../node/procs";

export async function down(l: Layout, purge: boolean): Promise<boolean> {
  const procs = new Procs(l.pidDir, l.logDir);
  await phase("down", () => clearLeftovers(l, procs));
  if (purge) {
    // Certificates, PostgreSQL/MinIO data and secrets, images imported into containerd.
    for (const d of [
      l.pkiDir,
      l.servicesDir,
      path.dirname(l.containerdRoot),
      path.join(l.clusterDir, "harness-images"),
    ]) {
      fs.rmSync(d, { recursive: true, force: true });
    }
    log("purged certificates, service data and imported images");
  }
  const report = await scanLeftovers(l, procs);
  if (isClean(report)) {
    log("nothing left behind");
    return true;
  }
  for (const line of describe(report)) log(`left behind: ${line}`);
  return false;
}
