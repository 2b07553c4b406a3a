import type { PlatformConfig } from "../config/model";
import { compareVersions } from "../spark/versions";

/**
 * Per-job KPIs of both Spark lines side by side, from History Server REST data (already
 * fetched: see jobKpisHistory.ts; printed by jobKpisFormat.ts). Pure: data in, plain
 * objects out.
 *
 * How a run is attributed to a platform job (`spark-platform:jobs[].id`):
 * - `app-name`: the application's name equals the job id (`spark-submit --name <id>`).
 *   The whole application (its latest attempt) is one run.
 * - `job-tag`: otherwise, the Spark jobs tagged with the job id exactly (`spark.job.tags`,
 *   `SparkContext.addJobTag`, or Connect's `addTag`, which reaches `jobTags` wrapped: see
 *   userTagOf). Used for a Connect
 *   server, one long application shared by every session: only the tagged Spark jobs and
 *   their stages count, and all of them in one application make one run.
 *
 * A running application counts too (its attempt is not `completed`): the Connect server's
 * application never completes while the server runs, and its History Server lists it from
 * the event-log files already rolled (docs/migration-runbook.md#connect-jobs-while-the-server-runs).
 * Its runs are marked `applicationRunning`; a tagged Spark job still running in it is left
 * out (its stages are not all read yet), and an application-named run has no duration yet.
 */

/** `/api/v1/applications` entry (the fields used). */
export interface HistoryApplication {
  readonly id: string;
  readonly name: string;
  /** Latest attempt first, as the History Server lists them. */
  readonly attempts: readonly HistoryAttempt[];
}

export interface HistoryAttempt {
  /** Present only for applications with attempts (cluster deploy mode, retries). */
  readonly attemptId?: string;
  readonly startTime: string;
  readonly endTime?: string;
  readonly duration?: number;
  readonly completed?: boolean;
}

/** `/applications/<id>/jobs` entry. `jobTags` exists from Spark 3.5 on. */
export interface HistoryJob {
  readonly jobId: number;
  readonly submissionTime?: string;
  readonly completionTime?: string;
  readonly stageIds: readonly number[];
  readonly jobTags?: readonly string[];
  /** RUNNING, SUCCEEDED, FAILED or UNKNOWN. */
  readonly status?: string;
}

/** `/applications/<id>/stages` entry (one per stage attempt). */
export interface HistoryStage {
  readonly stageId: number;
  readonly attemptId?: number;
  readonly numTasks?: number;
  readonly numFailedTasks?: number;
  readonly shuffleReadBytes?: number;
  readonly shuffleWriteBytes?: number;
  readonly memoryBytesSpilled?: number;
  readonly diskBytesSpilled?: number;
  readonly jvmGcTime?: number;
}

/** `/applications/<id>/allexecutors` entry. */
export interface HistoryExecutor {
  readonly id: string;
  readonly totalGCTime?: number;
  readonly peakMemoryMetrics?: { readonly TotalGCTime?: number };
}

/** Everything one release's History Server holds about one application. */
export interface ApplicationHistory {
  readonly application: HistoryApplication;
  /** Empty when the application ran no job of interest (no need to fetch them). */
  readonly jobs: readonly HistoryJob[];
  readonly stages: readonly HistoryStage[];
  readonly executors: readonly HistoryExecutor[];
}

export type MatchedBy = "app-name" | "job-tag";

/** One run of a platform job on one release. */
export interface JobRun {
  readonly job: string;
  readonly release: string;
  readonly applicationId: string;
  readonly attemptId: string | undefined;
  readonly matchedBy: MatchedBy;
  /**
   * Read from an application still running: the figures are what the History Server had
   * read of it then (for a Connect server, its rolled event-log files).
   */
  readonly applicationRunning: boolean;
  /** ISO start time. */
  readonly started: string;
  /** Undefined for a run that is a whole application still running. */
  readonly durationMs: number | undefined;
  readonly stages: number;
  readonly tasks: number;
  readonly failedTasks: number;
  readonly shuffleReadBytes: number;
  readonly shuffleWriteBytes: number;
  readonly memorySpillBytes: number;
  readonly diskSpillBytes: number;
  /** Undefined when it cannot be told apart from other jobs' GC (see gcTimeOf). */
  readonly gcTimeMs: number | undefined;
}

/** History Server dates look like `2026-11-23T20:41:31.102GMT`. */
export function historyDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value.replace(/GMT$/, "Z"));
  return Number.isNaN(ms) ? undefined : ms;
}

const sum = <T>(items: readonly T[], pick: (item: T) => number | undefined): number =>
  items.reduce((total, item) => total + (pick(item) ?? 0), 0);

/**
 * GC time: the stages' `jvmGcTime` when every stage reports it; otherwise, for a whole
 * application only, its executors' (and driver's) total GC time (`totalGCTime`, or the
 * cumulative `TotalGCTime` executor metric). Executors of a shared Connect server also
 * ran other sessions' work, so a tagged run without stage GC times has none.
 */
function gcTimeOf(
  stages: readonly HistoryStage[],
  executors: readonly HistoryExecutor[],
  wholeApplication: boolean,
): number | undefined {
  if (stages.length > 0 && stages.every((s) => s.jvmGcTime !== undefined)) {
    return sum(stages, (s) => s.jvmGcTime);
  }
  if (!wholeApplication || executors.length === 0) return undefined;
  return sum(executors, (e) => e.totalGCTime ?? e.peakMemoryMetrics?.TotalGCTime);
}

function stageFigures(stages: readonly HistoryStage[]) {
  return {
    stages: stages.length,
    tasks: sum(stages, (s) => s.numTasks),
    failedTasks: sum(stages, (s) => s.numFailedTasks),
    shuffleReadBytes: sum(stages, (s) => s.shuffleReadBytes),
    shuffleWriteBytes: sum(stages, (s) => s.shuffleWriteBytes),
    memorySpillBytes: sum(stages, (s) => s.memoryBytesSpilled),
    diskSpillBytes: sum(stages, (s) => s.diskBytesSpilled),
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The runs of `jobIds` one application holds: none, or one per job. `since` (ms) drops
 * tagged Spark jobs submitted earlier, so a long-lived server counts only later work.
 */
export function runsOf(
  release: string,
  history: ApplicationHistory,
  jobIds: readonly string[],
  since?: number,
): JobRun[] {
  const { application, stages, executors, jobs } = history;
  const attempt = application.attempts[0];
  if (!attempt) return [];
  const applicationRunning = isRunning(attempt);
  const base = {
    release,
    applicationId: application.id,
    attemptId: attempt.attemptId,
    applicationRunning,
  };
  if (jobIds.includes(application.name)) {
    const start = historyDate(attempt.startTime) ?? 0;
    const end = historyDate(attempt.endTime);
    return [
      {
        ...base,
        job: application.name,
        matchedBy: "app-name",
        started: iso(start),
        // A running attempt reports duration 0 and an end before 1970: no duration yet.
        durationMs: applicationRunning
          ? undefined
          : (attempt.duration ?? (end !== undefined ? end - start : 0)),
        ...stageFigures(stages),
        gcTimeMs: gcTimeOf(stages, executors, true),
      },
    ];
  }
  return jobIds.flatMap((job): JobRun[] => {
    // Spark jobs submitted before `since` belong to earlier runs in the same server.
    // In a running application, a Spark job whose end is not read yet is left out: its
    // stages are not all there, and a later read counts it whole.
    const tagged = jobs.filter(
      (j) =>
        carriesTag(j, job) &&
        (since === undefined || (historyDate(j.submissionTime) ?? since) >= since) &&
        !(applicationRunning && isUnfinished(j)),
    );
    if (tagged.length === 0) return [];
    const stageIds = new Set(tagged.flatMap((j) => j.stageIds));
    const mine = stages.filter((s) => stageIds.has(s.stageId));
    const starts = tagged.map((j) => historyDate(j.submissionTime)).filter(isNumber);
    const ends = tagged.map((j) => historyDate(j.completionTime)).filter(isNumber);
    const start = starts.length > 0 ? Math.min(...starts) : (historyDate(attempt.startTime) ?? 0);
    const end = ends.length > 0 ? Math.max(...ends) : start;
    return [
      {
        ...base,
        job,
        matchedBy: "job-tag",
        started: iso(start),
        durationMs: end - start,
        ...stageFigures(mine),
        gcTimeMs: gcTimeOf(mine, executors, false),
      },
    ];
  });
}

const isNumber = (value: number | undefined): value is number => value !== undefined;

/**
 * A Connect session's `addTag(<tag>)` reaches SparkContext's job tags made unique per user
 * and session: `SparkConnect_SessionTag_User_<user>_Session_<session id>_Tag_<tag>`
 * (`ExecuteSessionTag` in Spark's 4.x sources; other versions write `SparkConnect_Execute_`
 * in its place). The session id is a UUID, without `_`. Other tags
 * (`SparkContext.addJobTag`, `spark.job.tags`) are as set.
 */
const CONNECT_USER_TAG = /^SparkConnect_(?:SessionTag|Execute)_User_.*?_Session_[^_]+_Tag_(.*)$/;

/** The tag a user set, from one entry of a Spark job's `jobTags`. */
export function userTagOf(jobTag: string): string {
  return CONNECT_USER_TAG.exec(jobTag)?.[1] ?? jobTag;
}

/** Whether a Spark job carries `tag` as its user set it. */
export function carriesTag(job: HistoryJob, tag: string): boolean {
  return job.jobTags?.some((t) => userTagOf(t) === tag) ?? false;
}

/** The History Server lists an attempt without `completed` only from old logs: done. */
const isRunning = (attempt: HistoryAttempt): boolean => attempt.completed === false;

const isUnfinished = (job: HistoryJob): boolean =>
  job.status === "RUNNING" || job.completionTime === undefined;

/** The figures compared, in report order. */
export const KPI_KEYS = [
  "durationMs",
  "stages",
  "tasks",
  "failedTasks",
  "shuffleReadBytes",
  "shuffleWriteBytes",
  "memorySpillBytes",
  "diskSpillBytes",
  "gcTimeMs",
] as const;

export type KpiKey = (typeof KPI_KEYS)[number];

/** One job on one release: its runs and the mean of each figure per run. */
export interface ReleaseKpis {
  readonly release: string;
  readonly sparkVersion: string;
  readonly runs: number;
  /** Undefined when there was no run (or, for GC, no run that could measure it). */
  readonly meanPerRun: Readonly<Record<KpiKey, number | undefined>>;
  readonly applications: readonly string[];
  /**
   * Those of `applications` still running when read: their runs are running-app data
   * (see the top of this file).
   */
  readonly runningApplications: readonly string[];
  /** How the runs were recognised (see the top of this file). */
  readonly matchedBy: readonly MatchedBy[];
}

export interface JobKpis {
  readonly job: string;
  /** The release the stack config routes the job to now. */
  readonly routedTo: string;
  /** Oldest Spark version first. */
  readonly releases: readonly ReleaseKpis[];
}

export interface JobKpisReport {
  readonly stack: string | undefined;
  readonly since: string | undefined;
  readonly jobs: readonly JobKpis[];
}

function mean(runs: readonly JobRun[], key: KpiKey): number | undefined {
  const values = runs.map((r) => r[key]).filter(isNumber);
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Groups runs per job and release. Jobs and releases come from the stack config;
 * `since` (ms) drops runs started earlier; `onlyJob` keeps one job (refused if unknown);
 * `releases` keeps those columns (a decommissioned release read from no History Server).
 */
export function jobKpis(
  config: PlatformConfig,
  runs: readonly JobRun[],
  options: { stack?: string; since?: number; onlyJob?: string; releases?: readonly string[] } = {},
): JobKpisReport {
  if (options.onlyJob !== undefined && !config.jobs.some((j) => j.id === options.onlyJob)) {
    throw new Error(
      `--job ${options.onlyJob}: no such job in spark-platform:jobs (known: ${config.jobs.map((j) => j.id).join(", ") || "none"})`,
    );
  }
  const releases = config.releases
    .filter((r) => options.releases === undefined || options.releases.includes(r.name))
    .sort(
      (a, b) => compareVersions(a.sparkVersion, b.sparkVersion) || a.name.localeCompare(b.name),
    );
  const kept = runs.filter(
    (r) => options.since === undefined || Date.parse(r.started) >= options.since,
  );
  const jobs = config.jobs
    .filter((j) => options.onlyJob === undefined || j.id === options.onlyJob)
    .map((job) => ({
      job: job.id,
      routedTo: job.release,
      releases: releases.map((release) => {
        const mine = kept.filter((r) => r.job === job.id && r.release === release.name);
        const meanPerRun = Object.fromEntries(
          KPI_KEYS.map((key) => [key, mean(mine, key)]),
        ) as Record<KpiKey, number | undefined>;
        return {
          release: release.name,
          sparkVersion: release.sparkVersion,
          runs: mine.length,
          meanPerRun,
          applications: [...new Set(mine.map((r) => r.applicationId))],
          runningApplications: [
            ...new Set(mine.filter((r) => r.applicationRunning).map((r) => r.applicationId)),
          ],
          matchedBy: [...new Set(mine.map((r) => r.matchedBy))].sort(),
        };
      }),
    }));
  return {
    stack: options.stack,
    since: options.since === undefined ? undefined : iso(options.since),
    jobs,
  };
}
