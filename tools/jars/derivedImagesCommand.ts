/**
 * `npm run jars -- build-images`: builds the derived images (buildDerivedImages), prints
 * per-image figures, how to import the archives into a node's containerd and the stack
 * values that make a stack run them; with `--check`, checks the archives as a node would
 * (checkDerivedImages) against the `check-jars` containers the stack renders, and with
 * `--s3a` runs s3a in the Spark images against a loopback MinIO.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { imagesCacheDir } from "../../cluster/clusterLayout";
import { mib } from "../../cluster/images/progress";
import { cacheRoot, derivedImagesDir } from "../../lib/cache/cacheRoot";
import { CONFIG_NAMESPACE, parsePlatformConfig } from "../../lib/config/parse";
import type { RawRelease } from "../../lib/config/schema";
import { rawConfigFromStackFile } from "../../lib/config/sources";
import { DERIVED_IMAGES } from "../../lib/jars/images";
import { s3aSettings } from "../../lib/spark/s3a";
import { hadoopLineOf, sparkLineOf } from "../../lib/spark/versions";
import { PROJECT_ROOT, stackFilePath } from "../cli/stackFiles";
import { buildDerivedImages } from "./buildDerivedImages";
import type { StorageDriver } from "./buildah";
import { derivedImagesOverride, derivedRefsByBase, withValues } from "./stackOverride";

export const BUILD_IMAGES_USAGE = `npm run jars -- build-images [--only NAME[,NAME]] [--out DIR] [--bases DIR]
    [--storage-driver overlay|vfs] [--maven-repository URL | --upstream URL] [--registry HOST]
    [--stack local] [--check [--s3a]]`;

export async function buildImagesCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      only: { type: "string" },
      out: { type: "string" },
      bases: { type: "string", multiple: true },
      "storage-driver": { type: "string", default: "overlay" },
      "maven-repository": { type: "string" },
      upstream: { type: "string" },
      registry: { type: "string" },
      stack: { type: "string", default: "local" },
      check: { type: "boolean", default: false },
      s3a: { type: "boolean", default: false },
    },
  });
  const driver = values["storage-driver"] as StorageDriver;
  if (driver !== "overlay" && driver !== "vfs") {
    console.error(
      `--storage-driver ${String(driver)}: overlay or vfs\nusage: ${BUILD_IMAGES_USAGE}`,
    );
    return 2;
  }
  const log = (line: string) => console.log(`[derived-images] ${line}`);
  const workDir = derivedImagesDir();
  const started = Date.now();
  const outDir = values.out ?? join(workDir, "out");
  const built = await buildDerivedImages({
    repoDir: PROJECT_ROOT,
    workDir,
    outDir,
    baseDirs: values.bases ?? [join(imagesCacheDir(cacheRoot()), "out")],
    mirrorDir: join(cacheRoot(), "jars-mirror"),
    ...(values.upstream ? { upstream: values.upstream } : {}),
    ...(values["maven-repository"] ? { mavenRepository: values["maven-repository"] } : {}),
    driver,
    ...(values.registry ? { registry: values.registry } : {}),
    ...(values.only ? { only: values.only.split(",") } : {}),
    log,
  });
  // What a node import needs, for scripts (the cluster harness's importAll takes { ref, tar }).
  const listing = join(outDir, "images.json");
  const entries = built.map((b) => ({
    name: b.image.name,
    ref: b.ref,
    tar: b.archive,
    base: b.image.base,
  }));
  await writeFile(listing, `${JSON.stringify(entries, null, 2)}\n`);
  console.log(`\nderived images (${((Date.now() - started) / 1000).toFixed(1)} s in all):`);
  for (const b of built) {
    const took = b.cached ? "cached" : `built in ${b.seconds.toFixed(1)} s`;
    console.log(
      `  ${b.ref.padEnd(40)} ${mib(b.bytes).padStart(10)}  ${took.padEnd(16)} ${b.archive}`,
    );
  }

  const stackFile = stackFilePath(values.stack);
  const raw = rawConfigFromStackFile(stackFile);
  const releases = (raw.values["releases"] ?? []) as RawRelease[];
  const override = derivedImagesOverride(
    releases,
    derivedRefsByBase(
      built.map((b) => b.image),
      values.registry,
    ),
  );
  console.log(`\nimport into a node's containerd (as root on the node):`);
  for (const b of built) console.log(`  ctr -n k8s.io images import ${b.archive}`);
  console.log(`  (the list as JSON: ${listing})`);
  console.log(
    `\nstack values that run them (${values.stack}: replace these keys of ${stackFile}, or pass them as preparePlatformStack's overrides):`,
  );
  const namespaced = Object.fromEntries(
    Object.entries(override.values).map(([k, v]) => [`${CONFIG_NAMESPACE}:${k}`, v]),
  );
  console.log(stringify(namespaced, { lineWidth: 0 }).replace(/^/gm, "  "));
  if (override.unreplaced.length > 0) {
    console.log(
      `  (no derived image built for ${override.unreplaced.join(", ")}: their pods' check-jars would fail)`,
    );
  }
  if (!values.check) return 0;

  // Loaded only here: rendering loads the whole platform program (seconds of start-up).
  const { checkDerivedImages } = await import("./checkDerivedImages");
  const { renderedJarChecks } = await import("./renderedJarChecks");
  const withImages = withValues(raw, override.values);
  const parsed = parsePlatformConfig(withImages);
  if (!parsed.ok)
    throw new Error(
      `${stackFile} with the derived images does not validate: ${JSON.stringify(parsed.issues)}`,
    );
  const config = parsed.config;
  const byImage = new Map(config.releases.map((r) => [r.image, r]));
  const releaseOf = (name: string) => byImage.get(built.find((b) => b.image.name === name)!.ref);
  const results = await checkDerivedImages({
    repoDir: PROJECT_ROOT,
    workDir,
    built,
    baseArchives: Object.fromEntries(built.map((b) => [b.image.name, b.baseArchive])),
    jarChecks: await renderedJarChecks(stackFile, values.stack, override.values),
    ...(values.s3a
      ? {
          s3a: {
            bucket: config.objectStore.bucket,
            prefix: Object.fromEntries(
              built.map((b) => [
                b.image.name,
                releaseOf(b.image.name)?.history.prefix ?? "derived-images",
              ]),
            ),
            // The platform's own s3a settings for the image's Hadoop, endpoint on loopback.
            settings: (name: string, endpoint: string) => {
              const image = DERIVED_IMAGES.find((i) => i.name === name)!;
              const hadoop = hadoopLineOf(sparkLineOf(image.version)!.hadoopVersion);
              return s3aSettings({ ...config.objectStore, endpoint, useSsl: false }, hadoop);
            },
          },
        }
      : {}),
    log,
  });
  const failed = results.filter((r) => r.problem);
  console.log(`\nchecks: ${results.length - failed.length} passed, ${failed.length} failed`);
  return failed.length > 0 ? 1 : 0;
}
