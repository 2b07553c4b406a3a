/**
 * Builds the derived images of images/ (`jars.source: image`) without a Docker engine:
 * buildah runs each committed Dockerfile unchanged on its stand-in base (an OCI archive of
 * cluster/images), with the jar stage's `debian:bookworm-slim` made by debootstrap, and
 * each result is written as an OCI archive `ctr -n k8s.io images import` names
 * `spark-platform/<name>:<version>`. Archives are cached by recipe hash: a warm run with
 * the same Dockerfiles, bases and buildah builds nothing.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { withLock } from "../../cluster/images/lock";
import { type Log, mib, seconds, step } from "../../cluster/images/progress";
import { runOk } from "../../cluster/support/runCommand";
import { MAVEN_CENTRAL } from "../../lib/config/parse";
import { catalogArtifacts } from "../../lib/jars/catalog";
import { DERIVED_IMAGES, imageFiles, type DerivedImage } from "../../lib/jars/images";
import { fillMirror } from "../../lib/jars/mirror";
import {
  type ArchiveIndexEntry,
  archiveFileName,
  archiveFor,
  archiveIndexEntries,
  derivedImageRecipe,
  staleArchives,
} from "./derivedImageRecipe";
import {
  type BuilderStorage,
  REGISTRIES_CONF,
  type StorageDriver,
  budArgs,
  buildahGlobalArgs,
  builderStorage,
  exportArchive,
  importArchive,
  storedDigest,
  toolEnv,
} from "./buildah";
import { ensureDebianSlim } from "./debianSlim";
import { BUILD_TOOLS, ensureHostTools } from "./hostTools";
import { type MirrorServer, serveMirror } from "./mirrorServer";

export interface BuildDerivedImagesOptions {
  /** The repository root (images/ is read from it). */
  readonly repoDir: string;
  /** The builder's own directory (storage, debootstrap rootfs, work, locks). */
  readonly workDir: string;
  /** Where the archives go (and are found on warm runs). */
  readonly outDir: string;
  /** Directories holding the bases as OCI archives (the stand-ins' out/). */
  readonly baseDirs: readonly string[];
  /** Maven-layout mirror directory filled from `upstream` and served on 127.0.0.1. */
  readonly mirrorDir: string;
  /** Where the mirror is filled from (default Maven Central). */
  readonly upstream?: string;
  /** Build straight from this repository instead of the loopback mirror. */
  readonly mavenRepository?: string;
  readonly driver: StorageDriver;
  /** Prefix of the references (e.g. `registry.example`); none: `spark-platform/<name>`. */
  readonly registry?: string;
  /** Image names (images/<name>); default all. */
  readonly only?: readonly string[];
  readonly log: Log;
}

export interface BuiltDerivedImage {
  readonly image: DerivedImage;
  readonly ref: string;
  readonly archive: string;
  /** The OCI archive of its base. */
  readonly baseArchive: string;
  readonly bytes: number;
  readonly seconds: number;
  readonly cached: boolean;
}

/** The committed build files must be what the catalog generates: they are what gets built. */
async function committedFiles(repoDir: string, image: DerivedImage) {
  const generated = imageFiles();
  const read = async (file: string) => {
    const path = `images/${image.name}/${file}`;
    const text = await readFile(join(repoDir, path), "utf8");
    if (text !== generated[path]) {
      throw new Error(`${path} differs from the catalog: run npm run jars -- images first`);
    }
    return text;
  };
  return { dockerfile: await read("Dockerfile"), jarsList: await read("jars.txt") };
}

interface BaseArchive {
  readonly file: string;
  readonly mtimeMs: number;
  readonly entries: readonly ArchiveIndexEntry[];
}

/**
 * The OCI archives in `dirs` with what their index.json names. Only complete archives
 * count: the stand-in builder writes `<name>.tar.part` and renames it when done, so a
 * `.tar` never changes after it appears (a rebuild writes a new file and deletes the old
 * one; a file open here stays readable).
 */
async function baseArchives(dirs: readonly string[]): Promise<BaseArchive[]> {
  const found: BaseArchive[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of (await readdir(dir)).filter((n) => n.endsWith(".tar"))) {
      const file = join(dir, name);
      try {
        // GNU tar seeks over the blobs: reading index.json costs milliseconds.
        // Our archives store ./index.json, skopeo's index.json.
        const index = await runOk("tar", ["-xOf", file, "./index.json"]).catch(() =>
          runOk("tar", ["-xOf", file, "index.json"]),
        );
        found.push({
          file,
          mtimeMs: (await stat(file)).mtimeMs,
          entries: archiveIndexEntries(index),
        });
      } catch {
        // Not an OCI archive (or deleted meanwhile): not a base.
      }
    }
  }
  return found;
}

async function buildahVersion(): Promise<string> {
  return (await runOk("buildah", ["--version"])).trim();
}

/** Builds (or finds) the archive of every requested image; one entry per image, in order. */
export async function buildDerivedImages(
  o: BuildDerivedImagesOptions,
): Promise<BuiltDerivedImage[]> {
  const wanted = DERIVED_IMAGES.filter((i) => !o.only || o.only.includes(i.name));
  for (const name of o.only ?? []) {
    if (!DERIVED_IMAGES.some((i) => i.name === name)) {
      throw new Error(
        `unknown image ${name} (images/: ${DERIVED_IMAGES.map((i) => i.name).join(", ")})`,
      );
    }
  }
  await ensureHostTools(BUILD_TOOLS, o.log);
  await mkdir(o.outDir, { recursive: true });
  const storage = builderStorage(o.workDir, o.driver);
  await mkdir(storage.tmpDir, { recursive: true });
  await writeFile(storage.registriesConf, REGISTRIES_CONF);
  const buildah = await buildahVersion();
  const bases = await baseArchives(o.baseDirs);

  // Recipes first: a warm run needs nothing but them.
  const plans = [];
  for (const image of wanted) {
    const base = archiveFor(image.base, bases);
    if (!base) {
      throw new Error(
        `no OCI archive of ${image.base} in ${o.baseDirs.join(", ")}: build the stand-ins first (npx tsx cluster/commands/imagesCommand.ts, docs/stand-in-images.md) or pass --bases <dir> holding an OCI archive of it`,
      );
    }
    const files = await committedFiles(o.repoDir, image);
    const recipe = derivedImageRecipe(
      image,
      files,
      { ref: image.base, manifestDigest: base.manifestDigest },
      buildah,
      o.registry,
    );
    plans.push({
      image,
      recipe,
      baseFile: base.archive.file,
      archive: join(o.outDir, archiveFileName(recipe)),
    });
  }

  const results: BuiltDerivedImage[] = [];
  let mirror: MirrorServer | undefined;
  try {
    for (const plan of plans) {
      const start = Date.now();
      if (existsSync(plan.archive)) {
        const bytes = (await stat(plan.archive)).size;
        o.log(`${plan.image.name}: cached ${plan.archive} (${mib(bytes)}; ${seconds(start)})`);
        results.push({
          image: plan.image,
          ref: plan.recipe.ref,
          archive: plan.archive,
          baseArchive: plan.baseFile,
          bytes,
          seconds: 0,
          cached: true,
        });
        continue;
      }
      if (!o.mavenRepository && !mirror) mirror = await startMirror(o);
      const repository = o.mavenRepository ?? mirror!.url;
      await withLock(o.workDir, "build", o.log, async () => {
        await ensureDebianSlim(storage, join(o.workDir, "debian"), o.log);
        await ensureBase(
          storage,
          plan.image.base,
          plan.recipe.base.manifestDigest,
          plan.baseFile,
          o.log,
        );
        const args = budArgs(storage, {
          contextDir: join(o.repoDir, "images", plan.image.name),
          tag: plan.recipe.ref,
          buildArgs: { BASE: plan.image.base, MAVEN_REPOSITORY: repository },
          timestamp: plan.recipe.timestamp,
        });
        await step(o.log, `${plan.image.name}: buildah bud`, () =>
          runOk("buildah", args, { env: toolEnv(storage), nice: 10, tailLines: 40 }),
        );
        await step(o.log, `${plan.image.name}: OCI archive`, () =>
          exportArchive(
            storage,
            plan.recipe.ref,
            join(o.workDir, "work", plan.image.name),
            plan.archive,
            plan.recipe.timestamp,
          ),
        );
        for (const stale of staleArchives(
          await readdir(o.outDir),
          plan.image.name,
          archiveFileName(plan.recipe),
        )) {
          await rm(join(o.outDir, stale), { force: true });
          o.log(`${plan.image.name}: removed the earlier ${stale}`);
        }
      });
      const bytes = (await stat(plan.archive)).size;
      const took = (Date.now() - start) / 1000;
      o.log(
        `${plan.image.name}: built ${plan.recipe.ref} in ${took.toFixed(1)} s -> ${plan.archive} (${mib(bytes)})`,
      );
      results.push({
        image: plan.image,
        ref: plan.recipe.ref,
        archive: plan.archive,
        baseArchive: plan.baseFile,
        bytes,
        seconds: took,
        cached: false,
      });
    }
  } finally {
    await mirror?.close();
  }
  if (results.some((r) => !r.cached)) {
    // Intermediate images of the jar stages and earlier builds of the same tags.
    await runOk("buildah", [...buildahGlobalArgs(storage), "rmi", "--prune"], {
      env: toolEnv(storage),
    }).catch(() => undefined);
  }
  return results;
}

/** Fills the mirror with the catalog (verified, kept across runs) and serves it on loopback. */
async function startMirror(o: BuildDerivedImagesOptions): Promise<MirrorServer> {
  const upstream = o.upstream ?? MAVEN_CENTRAL;
  const result = await step(o.log, `Maven mirror ${o.mirrorDir} from ${upstream}`, () =>
    fillMirror(o.mirrorDir, catalogArtifacts(), upstream),
  );
  const server = await serveMirror(o.mirrorDir);
  o.log(
    `Maven mirror: ${result.fetched} fetched, ${result.kept} kept; served at ${server.url} for the jar stages`,
  );
  return server;
}

/** The base in the storage under its reference, imported from its archive unless it is there already. */
async function ensureBase(
  s: BuilderStorage,
  ref: string,
  digest: string,
  archive: string,
  log: Log,
) {
  if ((await storedDigest(s, ref)) === digest) return;
  await step(log, `import ${ref} from ${archive}`, () => importArchive(s, archive, ref));
  const stored = await storedDigest(s, ref);
  if (stored !== digest)
    throw new Error(`${ref} was imported as ${stored ?? "nothing"}, expected ${digest}`);
}
