import { readFileSync } from "node:fs";
import { join } from "node:path";
import { rawConfigFromStackFile } from "../../lib/config/sources";
import type { FetchLike } from "../../lib/migration/benchReport";
import {
  historyDate,
  runsOf,
  type HistoryApplication,
  type HistoryExecutor,
  type HistoryJob,
  type HistoryStage,
  type JobRun,
} from "../../lib/migration/jobKpis";
import { fetchApplicationHistories } from "../../lib/migration/jobKpisHistory";
import { parseValid } from "./stacks";

/**
 * History Server data for the job-kpis tests: the recorded stages and executors of
 * tests/fixtures/bench/history/ and the applications and jobs built around them
 * (tests/fixtures/job-kpis/README.md).
 */

const ROOT = join(__dirname, "../..");
const FIXTURES = join(ROOT, "tests/fixtures");
const read = <T>(path: string): T => JSON.parse(readFileSync(join(FIXTURES, path), "utf8")) as T;

/** The dev stack: clickstream-sessionize is the spark-41 pilot, two jobs stay on spark-35. */
export const config = parseValid(rawConfigFromStackFile(join(ROOT, "Pulumi.dev.yaml")));
export const JOB = "clickstream-sessionize";
export const jobIds = config.jobs.map((j) => j.id);

export const stages35 = read<HistoryStage[]>("bench/history/spark-35-stages.json");
export const stages41 = read<HistoryStage[]>("bench/history/spark-41-stages.json");
export const executors35 = read<HistoryExecutor[]>("bench/history/spark-35-allexecutors.json");
export const executors41 = read<HistoryExecutor[]>("bench/history/spark-41-allexecutors.json");
export const apps35 = read<HistoryApplication[]>("job-kpis/spark-35-applications.json");
export const apps41 = read<HistoryApplication[]>("job-kpis/spark-41-applications.json");
export const jobs41 = read<HistoryJob[]>("job-kpis/spark-41-jobs.json");
/** The same Connect server read while it still ran, a later run's Spark job in flight. */
export const runningApps41 = read<HistoryApplication[]>(
  "job-kpis/spark-41-running-applications.json",
);
export const runningJobs41 = read<HistoryJob[]>("job-kpis/spark-41-running-jobs.json");
export const runningStages41 = read<HistoryStage[]>("job-kpis/spark-41-running-stages.json");

/**
 * Serves the fixtures as `http://<release>-history:18080/api/v1/...` would, and records
 * every URL asked for. `connectServerRunning`: spark-41's History Server answers as it
 * did while the Connect server still ran (the constructed running-app fixtures).
 */
export function recordedHistory(
  asked: string[],
  options: { connectServerRunning?: boolean } = {},
): FetchLike {
  const connectServer = "spark-41/applications/spark-7f3c2a1b9d0e4c5f8a6b2d1e3f4a5b6c";
  const routes: Record<string, string> = {
    "spark-35/applications": "job-kpis/spark-35-applications.json",
    "spark-35/applications/app-20261123204129-0004/stages": "bench/history/spark-35-stages.json",
    "spark-35/applications/app-20261123204129-0004/allexecutors":
      "bench/history/spark-35-allexecutors.json",
    "spark-35/applications/app-20261123201502-0002/1/jobs": "job-kpis/spark-35-adhoc-jobs.json",
    "spark-41/applications": "job-kpis/spark-41-applications.json",
    "spark-41/applications/spark-7f3c2a1b9d0e4c5f8a6b2d1e3f4a5b6c/jobs":
      "job-kpis/spark-41-jobs.json",
    "spark-41/applications/spark-7f3c2a1b9d0e4c5f8a6b2d1e3f4a5b6c/stages":
      "bench/history/spark-41-stages.json",
    "spark-41/applications/spark-7f3c2a1b9d0e4c5f8a6b2d1e3f4a5b6c/allexecutors":
      "bench/history/spark-41-allexecutors.json",
    ...(options.connectServerRunning
      ? {
          "spark-41/applications": "job-kpis/spark-41-running-applications.json",
          [`${connectServer}/jobs`]: "job-kpis/spark-41-running-jobs.json",
          [`${connectServer}/stages`]: "job-kpis/spark-41-running-stages.json",
        }
      : {}),
  };
  return async (url) => {
    asked.push(url);
    const match = /^http:\/\/(spark-\d+)-history:18080\/api\/v1\/(.*)$/.exec(url);
    const file = match ? routes[`${match[1]}/${match[2]}`] : undefined;
    if (!file) return { ok: false, status: 404, json: async () => ({}) };
    const body = read<unknown>(file);
    return { ok: true, status: 200, json: async () => body };
  };
}

export const sum = (values: readonly (number | undefined)[]) =>
  values.reduce<number>((a, b) => a + (b ?? 0), 0);
export const ms = (value: string | undefined) => historyDate(value)!;

export async function allRuns(
  since?: number,
  options: { connectServerRunning?: boolean } = {},
): Promise<JobRun[]> {
  const runs: JobRun[] = [];
  for (const release of ["spark-35", "spark-41"]) {
    const histories = await fetchApplicationHistories(
      `http://${release}-history:18080/`,
      jobIds,
      recordedHistory([], options),
    );
    runs.push(...histories.flatMap((h) => runsOf(release, h, jobIds, since)));
  }
  return runs;
}
