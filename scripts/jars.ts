/**
 * npm run jars -- <command>
 *
 *   images [--check]                     write images/ from the catalog (--check: exit 1 if stale)
 *   mirror --dir <dir> [--upstream URL]  fill a Maven-layout mirror with every catalog jar
 *   measure [--repository URL] [--runs N] [--no-bundle]
 *       bytes and seconds one pod start costs per consumer, with the real downloader (python3),
 *       from the repository (default Maven Central) and from a mirror on 127.0.0.1; each
 *       line's SDK modules against the bundle its hadoop-aws declares (SDK v1 281 MB, v2
 *       642 MB; --no-bundle skips them). Downloads into a temp dir,
 *       mirrors under ${SPARK_PLATFORM_CACHE_DIR:-~/.cache/spark-platform}/jars-mirror.
 *   build-images [--only NAME,...] [--out DIR] [--check [--s3a]] ...
 *       builds images/ without a Docker engine (buildah) on the stand-in bases, as OCI
 *       archives for `ctr -n k8s.io images import` (tools/jars/derivedImagesCommand.ts).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { cacheRoot } from "../lib/cache/cacheRoot";
import { MAVEN_CENTRAL } from "../lib/config/parse";
import {
  JAR_SETS,
  SDK_V1_BUNDLE,
  SDK_V2_BUNDLE,
  catalogArtifacts,
  totalBytes,
  type JarArtifact,
  type JarSetName,
} from "../lib/jars/catalog";
import { imageFiles } from "../lib/jars/images";
import { fillMirror } from "../lib/jars/mirror";
import { downloaderCommand } from "../lib/jars/scripts";
import { BUILD_IMAGES_USAGE, buildImagesCommand } from "../tools/jars/derivedImagesCommand";
import { serveMirror } from "../tools/jars/mirrorServer";

const ROOT = resolve(__dirname, "..");
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

function images(check: boolean): number {
  let stale = 0;
  for (const [path, content] of Object.entries(imageFiles())) {
    const file = join(ROOT, path);
    const current = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    if (current === content) continue;
    if (check) {
      console.error(`stale: ${path} (run npm run jars -- images)`);
      stale++;
    } else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      console.log(`wrote ${path}`);
    }
  }
  return stale > 0 ? 1 : 0;
}

/** Runs the init container's downloader for one pod start; seconds and its summary line. */
function podStart(repository: string, artifacts: readonly JarArtifact[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "jars-measure-"));
  const command = downloaderCommand(repository, dir, artifacts, "(measurement)");
  const start = process.hrtime.bigint();
  return new Promise((done, fail) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (status) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      rmSync(dir, { recursive: true, force: true });
      if (status === 0) done(seconds);
      else fail(new Error(stderr.trim() || `downloader exited ${status}`));
    });
  });
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

async function measure(): Promise<void> {
  const repository = option("--repository") ?? MAVEN_CENTRAL;
  const runs = Number(option("--runs") ?? "3");
  const consumers: [string, readonly JarArtifact[], string][] = [
    ["spark-3.5-s3a", JAR_SETS["spark-3.5-s3a"].artifacts, "master, worker, history (3.5)"],
    ["spark-4.1-s3a", JAR_SETS["spark-4.1-s3a"].artifacts, "connect, executor, history (4.1)"],
    ["hive-postgres-driver", JAR_SETS["hive-postgres-driver"].artifacts, "metastore, schema-init"],
  ];
  // The bundle each line's hadoop-aws declares, against the modules the catalog pins instead.
  const bundles: [JarSetName, string, JarArtifact][] = [
    ["spark-3.5-s3a", "spark-3.5 with bundle", SDK_V1_BUNDLE],
    ["spark-4.1-s3a", "spark-4.1 with bundle", SDK_V2_BUNDLE],
  ];
  if (!args.includes("--no-bundle")) {
    for (const [set, name, bundle] of bundles) {
      const hadoopAws = JAR_SETS[set].artifacts.find((a) => a.artifact === "hadoop-aws")!;
      consumers.push([name, [hadoopAws, bundle], "(alternative, not used)"]);
    }
  }
  const mirrorDir = join(cacheRoot(), "jars-mirror");
  const allArtifacts = [...catalogArtifacts(), ...bundles.map(([, , bundle]) => bundle)];
  console.log(`filling the mirror ${mirrorDir} from ${repository} ...`);
  await fillMirror(mirrorDir, allArtifacts, repository, (l) => console.log(`  ${l}`));
  const mirror = await serveMirror(mirrorDir);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rows: string[][] = [];
  try {
    for (const [name, artifacts, pods] of consumers) {
      const remote: number[] = [];
      const local: number[] = [];
      for (let i = 0; i < runs; i++) {
        remote.push(await podStart(repository, artifacts));
        local.push(await podStart(mirror.url, artifacts));
      }
      rows.push([
        name,
        pods,
        String(artifacts.length),
        mb(totalBytes(artifacts)),
        median(remote).toFixed(2),
        median(local).toFixed(2),
      ]);
    }
  } finally {
    await mirror.close();
  }
  const header = [
    "consumer",
    "pods",
    "jars",
    "MB",
    `s (${new URL(repository).host})`,
    "s (mirror on loopback)",
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  console.log(
    `\nPer pod start, the init container's downloader (download + SHA-256), median of ${runs}:`,
  );
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<number> {
  switch (args[0]) {
    case "images":
      return images(args.includes("--check"));
    case "mirror": {
      const dir = option("--dir");
      if (!dir) throw new Error("mirror needs --dir <directory>");
      await fillMirror(
        resolve(dir),
        catalogArtifacts(),
        option("--upstream") ?? MAVEN_CENTRAL,
        (l) => console.log(l),
      );
      return 0;
    }
    case "measure":
      await measure();
      return 0;
    case "build-images":
      return buildImagesCommand(args.slice(1));
    default:
      console.error(
        `usage: npm run jars -- images [--check] | mirror --dir <dir> [--upstream URL] | measure [--repository URL] [--runs N] [--no-bundle]\n       ${BUILD_IMAGES_USAGE}`,
      );
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
