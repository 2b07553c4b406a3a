/**
 * Builds one image = the given lower layers (e.g. the shared Debian base) + one layer of
 * its own, cached by recipe hash: an unchanged recipe returns the cached OCI tar at once.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { type ImageSpec, type Layer, tarLayer, writeImageTar } from "./oci";
import { withLock } from "./lock";
import { cacheKey } from "./recipe";
import { type Log, mib, seconds, step } from "./progress";

export interface Ctx {
  /** `<cache>/cluster/images`. */
  root: string;
  log: Log;
}

export interface BuiltImage {
  ref: string;
  tar: string;
  cached: boolean;
  seconds: number;
  bytes: number;
}

export interface ImageRecipe {
  /** Short name, the cache files' prefix (e.g. `spark-3.5.7`). */
  name: string;
  spec: ImageSpec;
  lower: readonly Layer[];
  /** Everything the own layer is made from (versions, script texts, checksums). */
  recipe: unknown;
  /** Fills the own layer's tree (an empty directory, as root). */
  fill: (tree: string) => Promise<void>;
}

export async function buildImage(ctx: Ctx, image: ImageRecipe): Promise<BuiltImage> {
  const start = Date.now();
  const key = cacheKey(image.name, {
    recipe: image.recipe,
    spec: image.spec,
    lower: image.lower.map((l) => l.digest),
  });
  return withLock(ctx.root, key, ctx.log, () => buildLocked(ctx, image, key, start));
}

async function buildLocked(
  ctx: Ctx,
  image: ImageRecipe,
  key: string,
  start: number,
): Promise<BuiltImage> {
  const out = join(ctx.root, "out", `${key}.tar`);
  if (existsSync(out)) {
    ctx.log(`${image.spec.ref}: cached (${key})`);
    return {
      ref: image.spec.ref,
      tar: out,
      cached: true,
      seconds: 0,
      bytes: (await stat(out)).size,
    };
  }
  ctx.log(`${image.spec.ref}: building (${key})`);
  const layerFile = join(ctx.root, "layers", `${key}.tar`);
  const work = join(ctx.root, "work", key);
  await mkdir(join(ctx.root, "out"), { recursive: true });
  await mkdir(join(ctx.root, "layers"), { recursive: true });
  let layer: Layer;
  if (existsSync(layerFile)) {
    layer = await tarLayer("/nonexistent", layerFile);
  } else {
    const tree = join(work, "tree");
    await rm(work, { recursive: true, force: true });
    await mkdir(tree, { recursive: true });
    await step(ctx.log, `${image.name}: assemble layer tree`, () => image.fill(tree));
    layer = await step(ctx.log, `${image.name}: layer tar`, () => tarLayer(tree, layerFile));
    await rm(tree, { recursive: true, force: true });
  }
  await step(ctx.log, `${image.name}: OCI image tar`, () =>
    writeImageTar(image.spec, [...image.lower, layer], join(work, "layout"), out),
  );
  await rm(work, { recursive: true, force: true });
  // The image tar holds a copy of the layer: keeping both would double the cache's size.
  await rm(layerFile, { force: true });
  await rm(`${layerFile}.sha256`, { force: true });
  await pruneStale(ctx.root, key);
  const bytes = (await stat(out)).size;
  ctx.log(
    `${image.spec.ref}: built in ${seconds(start)}, ${mib(bytes)} (own layer ${mib(layer.size)})`,
  );
  return {
    ref: image.spec.ref,
    tar: out,
    cached: false,
    seconds: (Date.now() - start) / 1000,
    bytes,
  };
}

/** Drops outputs and layers of earlier recipes of the same image (they are hundreds of MiB). */
async function pruneStale(root: string, key: string) {
  const prefix = key.slice(0, key.length - 16);
  for (const dir of ["out", "layers"]) {
    for (const file of await readdir(join(root, dir))) {
      const isOlder = file.startsWith(prefix) && !file.startsWith(key);
      if (isOlder && /^[0-9a-f]{16}\./.test(file.slice(prefix.length))) {
        await rm(join(root, dir, file), { force: true });
      }
    }
  }
}
