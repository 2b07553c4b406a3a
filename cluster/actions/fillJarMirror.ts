// The stacks' jars.repository: the catalog's jars, verified, served by the Maven mirror at
// maven-mirror.spark-infra.svc.
import { catalogArtifacts } from "../../lib/jars/catalog";
import { fillMirror } from "../../lib/jars/mirror";
import { log } from "../support/clusterLog";
import type { UpAction } from "./upContext";

/** Where the local jar mirror is filled from (the platform's default repository). */
const MIRROR_UPSTREAM =
  process.env["SPARK_PLATFORM_MAVEN_UPSTREAM"] ?? "https://repo1.maven.org/maven2";

export const fillJarMirror: UpAction = {
  name: "jar mirror",
  async run(ctx) {
    const r = await fillMirror(ctx.layout.mavenMirrorDir, catalogArtifacts(), MIRROR_UPSTREAM, log);
    log(`jar mirror: ${r.fetched} fetched (${(r.bytes / 2 ** 20).toFixed(0)} MiB), ${r.kept} kept`);
  },
};
