// Live version benchmark: the runbook's Phase 1 step 4 as a user runs it. The
// benchmark Jobs are switched on with `pulumi config set`, run the same workload on both
// releases, and `npm run bench-report` puts their real results side by side with the
// History Servers' REST data, read through `kubectl port-forward` as the runbook does.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PreparedStack } from "../../tools/engine/workspace";
import { parseBenchResult, type BenchResult } from "../../lib/migration/benchReport";
import { PORTS, releaseNames } from "../../lib/naming/names";
import { PYSPARK_CLIENT_IMAGE, RELEASES, type NamespaceOf, type ReleaseName } from "./clients";
import { listKeys, releaseView, s3aLocation } from "./jobs";
import { configSet, getItems, kubectl, portForward, RUN, shell, up, waitUntil } from "./support";

/** Small enough for a 2-CPU node, big enough that each query shuffles. */
export const BENCH_ROWS = 20_000_000;
export const BENCH_PARTITIONS = 8;

export interface BenchmarkRun {
  /** `kubectl logs job/<release>-benchmark` output, as the runbook saves it. */
  readonly files: Readonly<Record<ReleaseName, string>>;
  readonly results: Readonly<Record<ReleaseName, BenchResult>>;
  /** Job creation to completion, seconds. */
  readonly seconds: Readonly<Record<ReleaseName, number>>;
  /** Keys of each result under its release's own `<event-log prefix>/benchmark/`. */
  readonly resultKeys: Readonly<Record<ReleaseName, string[]>>;
}

function condition(job: { status?: Record<string, unknown> }, type: string): boolean {
  return ((job.status?.["conditions"] ?? []) as { type: string; status: string }[]).some(
    (c) => c.type === type && c.status === "True",
  );
}

/**
 * Switches the benchmark on (`pulumi config set --path 'spark-platform:benchmark.*'`),
 * applies, waits for both Jobs and saves their logs; then switches it off again, as the
 * runbook ends the step. Throws with the failing Job's log when one fails.
 */
export async function runVersionBenchmark(
  prepared: PreparedStack,
  namespaceOf: NamespaceOf,
  log: (line: string) => void = () => {},
): Promise<BenchmarkRun> {
  await configSet(prepared, "spark-platform:benchmark.enabled", "true");
  await configSet(prepared, "spark-platform:benchmark.rows", String(BENCH_ROWS));
  await configSet(prepared, "spark-platform:benchmark.partitions", String(BENCH_PARTITIONS));
  await configSet(prepared, "spark-platform:benchmark.image", PYSPARK_CLIENT_IMAGE);
  await up(prepared.stack);
  const dir = join(tmpdir(), `spark-platform-bench-${RUN}`);
  mkdirSync(dir, { recursive: true });
  const files = {} as Record<ReleaseName, string>;
  const results = {} as Record<ReleaseName, BenchResult>;
  const seconds = {} as Record<ReleaseName, number>;
  const resultKeys = {} as Record<ReleaseName, string[]>;
  for (const release of RELEASES) {
    const ns = namespaceOf[release];
    const name = releaseNames(release).benchmark;
    let failed = false;
    await waitUntil(`${name} finished`, 15 * 60_000, async () => {
      const job = (await getItems("jobs.batch", ns)).find((j) => j.metadata.name === name);
      if (!job) return `${name} not created`;
      failed = condition(job, "Failed");
      return condition(job, "Complete") || failed ? undefined : `${name} running`;
    });
    const logs = (await kubectl(["logs", "-n", ns, `job/${name}`, "-c", "benchmark"])).stdout;
    if (failed) throw new Error(`${name} failed:\n${logs.split("\n").slice(-20).join("\n")}`);
    const job = (await getItems("jobs.batch", ns)).find((j) => j.metadata.name === name)!;
    seconds[release] = Math.round(
      (Date.parse(String(job.status?.["completionTime"])) -
        Date.parse(String(job.status?.["startTime"]))) /
        1000,
    );
    files[release] = join(dir, `${release}.log`);
    writeFileSync(files[release], logs);
    results[release] = parseBenchResult(logs, files[release]);
    log(`${name}: complete in ${seconds[release]}s, ${results[release].totalSeconds}s of queries`);
  }
  const dirs = await eventLogDirs(namespaceOf);
  for (const release of RELEASES) {
    const { bucket, prefix } = s3aLocation(dirs[release]);
    // Every key of this run, wherever it lies: the check asserts they are all under `prefix`.
    resultKeys[release] = (await listKeys(bucket)).filter(
      (k) => k.includes(results[release].applicationId) && k.includes("/benchmark/"),
    );
    log(
      `${release}: result objects ${resultKeys[release].join(", ")} (own prefix ${bucket}/${prefix}/)`,
    );
  }
  await configSet(prepared, "spark-platform:benchmark.enabled", "false");
  await up(prepared.stack);
  return { files, results, seconds, resultKeys };
}

/** The event-log prefix of each release, as its spark-defaults ConfigMap says. */
export async function eventLogDirs(namespaceOf: NamespaceOf): Promise<Record<ReleaseName, string>> {
  const dir = async (r: ReleaseName) =>
    (await releaseView(r, namespaceOf[r])).defaults["spark.eventLog.dir"] ?? "";
  return { "spark-35": await dir("spark-35"), "spark-41": await dir("spark-41") };
}

/**
 * `npm run bench-report -- --history <release>=<url>... --out <md> <files>` with both
 * History Servers port-forwarded to loopback, as the runbook types it.
 */
export async function benchReportLive(
  run: BenchmarkRun,
  namespaceOf: NamespaceOf,
): Promise<{ code: number; report: string; stderr: string }> {
  const forwards = await Promise.all(
    RELEASES.map((r) =>
      portForward(namespaceOf[r], `svc/${releaseNames(r).history}`, PORTS.historyUi),
    ),
  );
  try {
    const out = join(tmpdir(), `spark-platform-bench-${RUN}`, "report.md");
    const history = RELEASES.map((r, i) => `--history ${r}=${forwards[i]!.url}`).join(" ");
    const result = await shell(
      `npm run --silent bench-report -- ${history} --timeout-ms 10000 --out ${out} ${RELEASES.map((r) => run.files[r]).join(" ")}`,
    );
    return {
      code: result.code,
      report: result.code === 0 ? readFileSync(out, "utf8") : "",
      stderr: result.stderr,
    };
  } finally {
    for (const f of forwards) f.stop();
  }
}

/** The report's cells of one row (`| shuffle write | 1.2 MiB | n/a | ... |`). */
export function reportRow(report: string, label: string): string[] {
  const line = report.split("\n").find((l) => l.startsWith(`| ${label} |`));
  return line
    ? line
        .split("|")
        .slice(2, -1)
        .map((c) => c.trim())
    : [];
}
