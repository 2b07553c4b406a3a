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

/**
 * Where `npm run jars -- build-images` keeps its work and archives by default; its listing
 * `out/images.json` (name, ref, tar, base per image) is what `npm run cluster -- up` imports
 * into every node when it exists.
 */
export function derivedImagesDir(root: string = cacheRoot()): string {
  return path.join(root, "derived-images");
}

/** The listing of the derived images built into the default output directory. */
export function derivedImagesListing(root: string = cacheRoot()): string {
  return path.join(derivedImagesDir(root), "out", "images.json");
}
