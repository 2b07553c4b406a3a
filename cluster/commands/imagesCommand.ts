/**
 * npx tsx cluster/commands/imagesCommand.ts --help
 * Builds the stand-in images of cluster/images (all, or the named ones) and prints one line
 * per image; `smoke` also runs each image's checks in a temporary containerd.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { cacheRoot } from "../../lib/cache/cacheRoot";
import { buildImages, COREDNS_REF, IMAGE_REFS, PAUSE_REF } from "../images/buildImages";
import { mib } from "../images/progress";
import { smokeTest } from "../images/smoke";

/** Short names accepted on the command line, besides the full references. */
export const SHORT_NAMES: Readonly<Record<string, string>> = {
  "spark-3.5.7": IMAGE_REFS[0],
  "spark-4.1.0": IMAGE_REFS[1],
  "hive-3.1.3": IMAGE_REFS[2],
  "hive-4.0.0": IMAGE_REFS[3],
  "pyspark-client": IMAGE_REFS[4],
  notebook: IMAGE_REFS[5],
  prometheus: IMAGE_REFS[6],
  pause: PAUSE_REF,
  coredns: COREDNS_REF,
};

const HELP = `Usage: npx tsx cluster/commands/imagesCommand.ts [build] [IMAGE...] [options]
       npx tsx cluster/commands/imagesCommand.ts smoke [IMAGE...] [options]

build (default)  build the stand-in images (all when none is named) as OCI tars in
                 \${SPARK_PLATFORM_CACHE_DIR:-~/.cache/spark-platform}/cluster/images/out
smoke            build, then import into a temporary containerd of our own and run each
                 image's smoke checks (needs root, runc, containerd, ctr)

IMAGE: a full reference or one of: ${Object.keys(SHORT_NAMES).join(", ")}

Options:
  --pause PATH     static pause binary (needed for ${PAUSE_REF})
  --coredns PATH   static coredns binary (needed for ${COREDNS_REF})
  --cache-dir DIR  cache root (default ${cacheRoot()})
  -h, --help       this text

Without --pause/--coredns those two images are skipped when building "all".`;

export async function imagesCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      pause: { type: "string" },
      coredns: { type: "string" },
      "cache-dir": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const [command, ...names] =
    positionals[0] === "build" || positionals[0] === "smoke"
      ? positionals
      : ["build", ...positionals];
  const binaries = { pause: values.pause ?? "", coredns: values.coredns ?? "" };
  for (const [name, path] of Object.entries(binaries)) {
    if (path && !existsSync(path)) throw new Error(`--${name} ${path}: no such file`);
  }
  let only = names.map((n) => SHORT_NAMES[n] ?? n);
  if (only.length === 0) {
    only = IMAGE_REFS.filter(
      (ref) => (ref !== PAUSE_REF || binaries.pause) && (ref !== COREDNS_REF || binaries.coredns),
    );
  }
  if (only.includes(PAUSE_REF) && !binaries.pause)
    throw new Error(`${PAUSE_REF} needs --pause PATH`);
  if (only.includes(COREDNS_REF) && !binaries.coredns)
    throw new Error(`${COREDNS_REF} needs --coredns PATH`);
  const start = Date.now();
  const cacheDir = values["cache-dir"] ?? cacheRoot();
  const results = await buildImages({ cacheDir, log: (l) => console.log(l), binaries, only });
  console.log(`\nimages (${((Date.now() - start) / 1000).toFixed(1)} s):`);
  for (const r of results) {
    const how = r.cached ? "cached" : `built in ${r.seconds.toFixed(1)} s`;
    console.log(`  ${r.ref}  ${mib(r.bytes)}  ${how}\n    ${r.tar}`);
  }
  if (command === "smoke") {
    const failed = await smokeTest(results, (l) => console.log(l), cacheDir);
    if (failed > 0) return 1;
  }
  return 0;
}

// Run directly (not through cluster/main.ts: `npm run cluster` keeps its own commands).
if (require.main === module) {
  imagesCommand(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
}
