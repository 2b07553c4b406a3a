import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FetchLike } from "../../../../lib/migration/benchReport";
import {
  formatJobKpisJson,
  formatJobKpisMarkdown,
  historyDate,
  jobKpis,
  runsOf,
  type ApplicationHistory,
  type HistoryApplication,
  type HistoryExecutor,
  type HistoryJob,
  type HistoryStage,
  type JobKpisReport,
  type JobRun,
} from "../../../../lib/migration/jobKpis";
import {
  applicationPath,
  fetchApplicationHistories,
} from "../../../../lib/migration/jobKpisHistory";
import { rawConfigFromStackFile } from "../../../../lib/config/sources";
import { parseValid } from "../../../support/stacks";

const ROOT = join(__dirname, "../../../..");
const FIXTURES = join(ROOT, "tests/fixtures");
const read = <T>(path: string): T => JSON.parse(readFileSync(join(FIXTURES, path), "utf8")) as T;

/** The dev stack: clickstream-sessionize is the spark-41 pilot, two jobs stay on spark-35. */
const config = parseValid(rawConfigFromStackFile(join(ROOT, "Pulumi.dev.yaml")));
const JOB = "clickstream-sessionize";
const jobIds = config.jobs.map((j) => j.id);

const stages35 = read<HistoryStage[]>("bench/history/spark-35-stages.json");
const stages41 = read<HistoryStage[]>("bench/history/spark-41-stages.json");
const executors35 = read<HistoryExecutor[]>("bench/history/spark-35-allexecutors.json");
const executors41 = read<HistoryExecutor[]>("bench/history/spark-41-allexecutors.json");
const apps35 = read<HistoryApplication[]>("job-kpis/spark-35-applications.json");
const apps41 = read<HistoryApplication[]>("job-kpis/spark-41-applications.json");
const jobs41 = read<HistoryJob[]>("job-kpis/spark-41-jobs.json");

/**
 * Serves the fixtures as `http://<release>-history:18080/api/v1/...` would, and records
 * every URL asked for.
 */
function recordedHistory(asked: string[]): FetchLike {
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

const sum = (values: readonly (number | undefined)[]) =>
  values.reduce<number>((a, b) => a + (b ?? 0), 0);
const ms = (value: string | undefined) => historyDate(value)!;

async function allRuns(since?: number): Promise<JobRun[]> {
  const runs: JobRun[] = [];
  for (const release of ["spark-35", "spark-41"]) {
    const histories = await fetchApplicationHistories(
      `http://${release}-history:18080/`,
      jobIds,
      recordedHistory([]),
    );
    runs.push(...histories.flatMap((h) => runsOf(release, h, jobIds, since)));
  }
  return runs;
}

describe("job KPIs: attributing runs to platform jobs", () => {
  it("counts a whole application named after the job as one run", () => {
    const [app] = apps35;
    const runs = runsOf(
      "spark-35",
      { application: app!, jobs: [], stages: stages35, executors: executors35 },
      jobIds,
    );
    expect(runs).to.have.length(1);
    const run = runs[0]!;
    const attempt = app!.attempts[0]!;
    expect(run).to.include({ job: JOB, matchedBy: "app-name", applicationId: app!.id });
    expect(run.durationMs).to.equal(ms(attempt.endTime) - ms(attempt.startTime));
    expect(run.stages).to.equal(stages35.length);
    expect(run.tasks).to.equal(sum(stages35.map((s) => s.numTasks)));
    expect(run.failedTasks).to.equal(sum(stages35.map((s) => s.numFailedTasks)));
    expect(run.shuffleReadBytes).to.equal(sum(stages35.map((s) => s.shuffleReadBytes)));
    expect(run.shuffleWriteBytes).to.equal(sum(stages35.map((s) => s.shuffleWriteBytes)));
    expect(run.memorySpillBytes).to.equal(sum(stages35.map((s) => s.memoryBytesSpilled)));
    expect(run.diskSpillBytes).to.equal(sum(stages35.map((s) => s.diskBytesSpilled)));
    // The recorded stages carry no jvmGcTime: the executors' cumulative GC metric counts.
    expect(stages35.some((s) => s.jvmGcTime !== undefined)).to.equal(false);
    expect(run.gcTimeMs).to.equal(sum(executors35.map((e) => e.peakMemoryMetrics?.TotalGCTime)));
    expect(run.gcTimeMs).to.be.greaterThan(0);
  });

  it("counts only the tagged Spark jobs' stages of a shared Connect application", () => {
    const history: ApplicationHistory = {
      application: apps41[0]!,
      jobs: jobs41,
      stages: stages41,
      executors: executors41,
    };
    const runs = runsOf("spark-41", history, jobIds);
    expect(runs.map((r) => [r.job, r.matchedBy])).to.deep.equal([[JOB, "job-tag"]]);
    const run = runs[0]!;
    const tagged = jobs41.filter((j) => j.jobTags?.includes(JOB));
    const ids = new Set(tagged.flatMap((j) => j.stageIds));
    const mine = stages41.filter((s) => ids.has(s.stageId));
    // Another session's stage is in the application and must not count.
    expect(stages41.length).to.be.greaterThan(mine.length);
    expect(run.stages).to.equal(mine.length);
    expect(run.tasks).to.equal(sum(mine.map((s) => s.numTasks)));
    expect(run.shuffleReadBytes).to.equal(sum(mine.map((s) => s.shuffleReadBytes)));
    expect(run.shuffleWriteBytes).to.equal(sum(mine.map((s) => s.shuffleWriteBytes)));
    expect(run.durationMs).to.equal(
      Math.max(...tagged.map((j) => ms(j.completionTime))) -
        Math.min(...tagged.map((j) => ms(j.submissionTime))),
    );
    // The executors also ran the other session: no GC time without per-stage figures.
    expect(run.gcTimeMs).to.equal(undefined);
    const withStageGc = runsOf(
      "spark-41",
      { ...history, stages: stages41.map((s) => ({ ...s, jvmGcTime: s.stageId })) },
      jobIds,
    );
    expect(withStageGc[0]!.gcTimeMs).to.equal(sum(mine.map((s) => s.stageId)));
  });

  it("keeps only tagged Spark jobs submitted at or after --since", () => {
    const since = Date.parse("2026-11-23T20:43:50Z");
    const history = { application: apps41[0]!, jobs: jobs41, stages: stages41, executors: [] };
    const run = runsOf("spark-41", history, jobIds, since)[0]!;
    const later = jobs41.filter((j) => j.jobTags?.includes(JOB) && ms(j.submissionTime) >= since);
    const ids = new Set(later.flatMap((j) => j.stageIds));
    expect(later.length).to.be.greaterThan(0);
    expect(run.stages).to.equal(stages41.filter((s) => ids.has(s.stageId)).length);
    expect(run.started).to.equal(
      new Date(Math.min(...later.map((j) => ms(j.submissionTime)))).toISOString(),
    );
    expect(runsOf("spark-41", history, jobIds, Date.parse("2026-11-24T00:00:00Z"))).to.deep.equal(
      [],
    );
  });
});

describe("job KPIs: History Server requests", () => {
  it("reads an application with attempts under its attempt id", () => {
    expect(applicationPath(apps35[1]!)).to.equal("/applications/app-20261123201502-0002/1");
    expect(applicationPath(apps35[0]!)).to.equal("/applications/app-20261123204129-0004");
  });

  it("lists jobs only for applications not named after a job, and skips untagged ones", async () => {
    const asked: string[] = [];
    const histories = await fetchApplicationHistories(
      "http://spark-35-history:18080",
      jobIds,
      recordedHistory(asked),
    );
    expect(histories.map((h) => h.application.id)).to.deep.equal(["app-20261123204129-0004"]);
    const api = "http://spark-35-history:18080/api/v1/applications";
    expect(asked).to.have.members([
      api,
      `${api}/app-20261123204129-0004/stages`,
      `${api}/app-20261123204129-0004/allexecutors`,
      `${api}/app-20261123201502-0002/1/jobs`,
    ]);
  });

  it("names the URL and status when the server refuses", async () => {
    const asked: string[] = [];
    let error: Error | undefined;
    await fetchApplicationHistories(
      "http://other-history:18080",
      jobIds,
      recordedHistory(asked),
    ).catch((e: Error) => (error = e));
    expect(error?.message).to.equal("GET http://other-history:18080/api/v1/applications: HTTP 404");
  });
});

describe("job KPIs: report", () => {
  it("puts the job's releases side by side with ratios in Markdown", async () => {
    const runs = await allRuns();
    const report = jobKpis(config, runs, { stack: "dev", onlyJob: JOB });
    const [r35, r41] = runs;
    expect(report.jobs.map((j) => j.job)).to.deep.equal([JOB]);
    const text = formatJobKpisMarkdown(report);
    expect(text).to.contain(`## ${JOB} (routed to spark-41)`);
    expect(text).to.contain("|  | spark-35 (3.5.7) | spark-41 (4.1.0) | spark-41 / spark-35 |");
    expect(text).to.contain("| runs | 1 | 1 |  |");
    expect(text).to.contain(
      `| stages | ${r35!.stages.toFixed(1)} | ${r41!.stages.toFixed(1)} | ${(r41!.stages / r35!.stages).toFixed(2)}x |`,
    );
    expect(text).to.contain(
      `| duration | ${(r35!.durationMs / 1000).toFixed(1)} s | ${(r41!.durationMs / 1000).toFixed(1)} s | ${(r41!.durationMs / r35!.durationMs).toFixed(2)}x |`,
    );
    expect(text).to.match(/\| GC time \| [\d.]+ s \| n\/a \| n\/a \|/);
  });

  it("gives the same figures as JSON, means per run over several runs", async () => {
    const [r35, r41] = await allRuns();
    const second: JobRun = { ...r35!, applicationId: "app-2", durationMs: r35!.durationMs * 3 };
    const report = JSON.parse(
      formatJobKpisJson(jobKpis(config, [r35!, second, r41!], { stack: "dev" })),
    ) as JobKpisReport;
    expect(report.jobs.map((j) => j.job)).to.deep.equal(jobIds);
    const job = report.jobs.find((j) => j.job === JOB)!;
    const spark35 = job.releases.find((r) => r.release === "spark-35")!;
    expect(spark35.runs).to.equal(2);
    expect(spark35.meanPerRun.durationMs).to.equal(r35!.durationMs * 2);
    expect(spark35.applications).to.deep.equal([r35!.applicationId, "app-2"]);
    const other = report.jobs.find((j) => j.job !== JOB)!;
    expect(other.releases.every((r) => r.runs === 0 && r.meanPerRun.tasks === undefined)).to.equal(
      true,
    );
  });

  it("drops runs started before --since", async () => {
    const since = Date.parse("2026-11-23T20:43:00Z");
    const report = jobKpis(config, await allRuns(since), { since, onlyJob: JOB });
    expect(report.jobs[0]!.releases.map((r) => r.runs)).to.deep.equal([0, 1]);
    expect(formatJobKpisMarkdown(report)).to.contain("No run found on spark-35.");
  });

  it("refuses an unknown job, naming it and the known ones", () => {
    expect(() => jobKpis(config, [], { onlyJob: "nightly-typo" })).to.throw(
      `--job nightly-typo: no such job in spark-platform:jobs (known: ${jobIds.join(", ")})`,
    );
  });
});
