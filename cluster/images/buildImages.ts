/**
 * Local stand-ins for the images the platform's pods name, built without Docker from
 * registry artifacts (Debian packages, PyPI, Maven Central) as OCI tarballs for
 * `ctr -n k8s.io images import`. See docs/stand-in-images.md for how each differs from
 * its upstream image.
 */
import { imagesCacheDir } from "../clusterLayout";
import { buildBase } from "./base";
import { HIVE_REF_3_1_3, HIVE_REF_4_0_0, HIVE_VERSIONS, hiveImage } from "./hive";
import type { BuiltImage, Ctx } from "./image";
import { COREDNS_REF, oneBinaryImage, PAUSE_REF } from "./oneBinaryImage";
import type { Log } from "./progress";
import { NOTEBOOK_REF, notebookImage } from "./notebook";
import { PROMETHEUS_REF, prometheusImage } from "./prometheus";
import { PYSPARK_CLIENT_REF, pysparkClientImage } from "./pysparkClient";
import { SPARK_REF_3_5_7, SPARK_REF_4_1_0, SPARK_VERSIONS, sparkImage } from "./spark";

export { COREDNS_REF, HIVE_REF_3_1_3, HIVE_REF_4_0_0, NOTEBOOK_REF, PAUSE_REF, PROMETHEUS_REF };
export { PYSPARK_CLIENT_REF };
export { SPARK_REF_3_5_7, SPARK_REF_4_1_0 };

/** Every stand-in, by the reference pods use. */
export const IMAGE_REFS = [
  SPARK_REF_3_5_7,
  SPARK_REF_4_1_0,
  HIVE_REF_3_1_3,
  HIVE_REF_4_0_0,
  PYSPARK_CLIENT_REF,
  NOTEBOOK_REF,
  PROMETHEUS_REF,
  PAUSE_REF,
  COREDNS_REF,
] as const;

export interface BuildImagesOptions {
  /** The spark-platform cache root (`${SPARK_PLATFORM_CACHE_DIR:-~/.cache/spark-platform}`). */
  cacheDir: string;
  log: (line: string) => void;
  /** Static binaries built by the cluster harness (cluster/build). */
  binaries: { pause: string; coredns: string };
  /** Build only these references (default: all of IMAGE_REFS). */
  only?: readonly string[];
}

export type BuildResult = BuiltImage;

/** The builder's cache directory under `cacheDir`, and its log lines prefixed "[images]". */
export function imagesContext(cacheDir: string, log: (line: string) => void): Ctx {
  const prefixed: Log = (line) => log(`[images] ${line}`);
  return { root: imagesCacheDir(cacheDir), log: prefixed };
}

/**
 * Builds (or finds cached) every requested image; returns one tar per reference, in
 * IMAGE_REFS order. Warm runs with unchanged recipes build nothing.
 */
export async function buildImages(options: BuildImagesOptions): Promise<BuildResult[]> {
  const wanted = new Set(options.only ?? IMAGE_REFS);
  for (const ref of wanted) {
    if (!(IMAGE_REFS as readonly string[]).includes(ref)) throw new Error(`unknown image ${ref}`);
  }
  const ctx = imagesContext(options.cacheDir, options.log);
  const results: BuildResult[] = [];
  // Every image but the one-binary ones sits on the shared Debian base.
  const needsBase = [...wanted].some((ref) => ref !== PAUSE_REF && ref !== COREDNS_REF);
  const base = needsBase ? await buildBase(ctx.root, ctx.log) : undefined;
  for (const spark of SPARK_VERSIONS) {
    if (wanted.has(spark.ref)) results.push(await sparkImage(ctx, base!, spark));
  }
  for (const hive of HIVE_VERSIONS) {
    if (wanted.has(hive.ref)) results.push(await hiveImage(ctx, base!, hive));
  }
  if (wanted.has(PYSPARK_CLIENT_REF)) results.push(await pysparkClientImage(ctx, base!));
  if (wanted.has(NOTEBOOK_REF)) results.push(await notebookImage(ctx, base!));
  if (wanted.has(PROMETHEUS_REF)) results.push(await prometheusImage(ctx, base!));
  if (wanted.has(PAUSE_REF)) {
    results.push(await oneBinaryImage(ctx, "pause", options.binaries.pause));
  }
  if (wanted.has(COREDNS_REF)) {
    results.push(await oneBinaryImage(ctx, "coredns", options.binaries.coredns));
  }
  return results;
}
