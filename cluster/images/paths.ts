/** Cache locations of the stand-in image builder (outside the repository). */
import { homedir } from "node:os";
import { join } from "node:path";

/** `${SPARK_PLATFORM_CACHE_DIR:-$HOME/.cache/spark-platform}`, the cache root of spark-platform. */
export function defaultCacheDir(): string {
  return process.env.SPARK_PLATFORM_CACHE_DIR || join(homedir(), ".cache", "spark-platform");
}

/** Where the image builder keeps downloads, the base rootfs, layers and image tars. */
export function imagesCacheDir(cacheDir: string): string {
  return join(cacheDir, "cluster", "images");
}
