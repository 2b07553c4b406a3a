// Under load and the old charts' smoke test: 8 Spark Connect sessions on 4.1 and 4
// spark-submits on 3.5 at once, each doing real work (it_job.py, action job), all of
// which must complete; and `spark-submit` run inside the 3.5 master's own pod to the
// master at its pod address, as the old charts' smoke test ran it, with its event log on
// s3a. Pure summaries first.
import { releaseNames } from "../../lib/naming/names";
import type { NamespaceOf } from "../cluster/clients";
import { eventDataWritten, listKeys, s3aLocation, type JobRun } from "../cluster/jobs";
import { kubectlWithInput } from "../cluster/rbacSupport";
import { runJob, type FaultJobs } from "./faultJobs";

export const LOAD = { "spark-41": 8, "spark-35": 4 } as const;

export interface LoadSummary {
  readonly completed: number;
  readonly failed: readonly string[];
  /** Jobs completed per minute of wall time. */
  readonly perMinute: number;
  readonly slowest?: { readonly pod: string; readonly seconds: number };
}

export function loadSummary(runs: readonly JobRun[], wallSeconds: number): LoadSummary {
  const done = runs.filter((r) => r.phase === "Succeeded");
  const slowest = [...runs].sort((a, b) => b.seconds - a.seconds)[0];
  return {
    completed: done.length,
    failed: runs.filter((r) => r.phase !== "Succeeded").map((r) => `${r.pod} ${r.phase}`),
    perMinute: wallSeconds > 0 ? Math.round((done.length / wallSeconds) * 600) / 10 : 0,
    ...(slowest ? { slowest: { pod: slowest.pod, seconds: slowest.seconds } } : {}),
  };
}

export async function runLoad(
  jobs: FaultJobs,
): Promise<{ runs: JobRun[]; wallSeconds: number; summary: LoadSummary }> {
  const started = Date.now();
  const runs = await Promise.all([
    ...Array.from({ length: LOAD["spark-41"] }, (_, i) => runJob(jobs, "spark-41", `load${i}`)),
    ...Array.from({ length: LOAD["spark-35"] }, (_, i) => runJob(jobs, "spark-35", `load${i}`)),
  ]);
  const wallSeconds = Math.round((Date.now() - started) / 1000);
  return { runs, wallSeconds, summary: loadSummary(runs, wallSeconds) };
}

/** The small Python job of the smoke test: prints `SMOKE-RESULT <sum> <application id>`. */
export const SMOKE_JOB = [
  "from pyspark.sql import SparkSession",
  'spark = SparkSession.builder.appName("smoke").getOrCreate()',
  'total = spark.range(0, 1000, 1, 4).selectExpr("sum(id) AS s").collect()[0]["s"]',
  'print("SMOKE-RESULT", total, spark.sparkContext.applicationId, flush=True)',
  "spark.stop()",
  "",
].join("\n");
export const SMOKE_SUM = 499500;

export function smokeResult(stdout: string): { sum: number; appId: string } | undefined {
  const m = /^SMOKE-RESULT (\d+) (\S+)$/m.exec(stdout);
  return m ? { sum: Number(m[1]), appId: m[2]! } : undefined;
}

/**
 * The smoke test's command in the master's pod, as the old charts typed it: the job
 * written to /tmp, then spark-submit to the master on the pod's IP. Nothing else: the
 * container's SPARK_CONF_DIR already holds the release's spark-defaults with its
 * authentication secret (mounted from its Secret), which a driver on spark:// needs.
 */
export function smokeCommand(): string {
  return "cat > /tmp/smoke.py && /opt/spark/bin/spark-submit --master spark://$(hostname -i):7077 /tmp/smoke.py";
}

/**
 * `kubectl exec deploy/spark-35-master -- bash -c <smokeCommand>`; the complaints name
 * what failed, empty when it completed and its event log is on s3a.
 */
export async function smokeSubmit(
  namespaceOf: NamespaceOf,
  eventLogDir: string,
): Promise<{ complaints: string[]; facts: string[] }> {
  const ns = namespaceOf["spark-35"];
  const script = smokeCommand();
  const started = Date.now();
  const r = await kubectlWithInput(
    [
      "exec",
      "-i",
      "-n",
      ns,
      `deploy/${releaseNames("spark-35").master}`,
      "--",
      "bash",
      "-c",
      script,
    ],
    SMOKE_JOB,
  );
  const seconds = Math.round((Date.now() - started) / 1000);
  const result = smokeResult(r.stdout);
  if (r.code !== 0 || !result)
    return {
      complaints: [`spark-submit in the master pod exited ${r.code}: ${r.stderr.slice(-1500)}`],
      facts: [],
    };
  const where = s3aLocation(eventLogDir);
  const logged = eventDataWritten(result.appId, await listKeys(where.bucket), where.prefix);
  return {
    complaints: [
      ...(result.sum === SMOKE_SUM ? [] : [`sum ${result.sum}, expected ${SMOKE_SUM}`]),
      ...(logged ? [] : [`no event log of ${result.appId} under ${eventLogDir}`]),
    ],
    facts: [
      `smoke ${result.appId}: sum ${result.sum} in ${seconds} s, event log under ${eventLogDir}`,
    ],
  };
}
