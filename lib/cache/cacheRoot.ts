// The one cache root of spark-platform: toolchains, Go builds, the local cluster, engine
// workspaces and jar mirrors all live under it, outside the repository. The shell scripts
// spell the same rule as ${SPARK_PLATFORM_CACHE_DIR:-$HOME/.cache/spark-platform}: an empty
// variable counts as unset.
import * as os from "node:os";
import * as path from "node:path";

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.SPARK_PLATFORM_CACHE_DIR || path.join(env.HOME || os.homedir(), ".cache", "spark-platform")
  );
}
