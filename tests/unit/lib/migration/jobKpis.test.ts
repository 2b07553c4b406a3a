import { expect } from "chai";
import {
  carriesTag,
  jobKpis,
  runsOf,
  userTagOf,
  type ApplicationHistory,
} from "../../../../lib/migration/jobKpis";
import {
  allRuns,
  apps35,
  apps41,
  config,
  executors35,
  executors41,
  JOB,
  jobIds,
  jobs41,
  ms,
  runningApps41,
  runningJobs41,
  runningStages41,
  stages35,
  stages41,
  sum,
} from "../../../support/jobKpisHistory";

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
    const tagged = jobs41.filter((j) => carriesTag(j, JOB));
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
    const later = jobs41.filter((j) => carriesTag(j, JOB) && ms(j.submissionTime) >= since);
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

describe("job KPIs: tags as Spark records them", () => {
  it("reads a Connect session's addTag through the user and session Spark wraps it in", () => {
    const session = "5b0c2e7a-1d4f-4c3b-9a8e-6f2d1c0b3a49";
    expect(
      userTagOf(`SparkConnect_SessionTag_User_spark_Session_${session}_Tag_nightly-etl`),
    ).to.equal("nightly-etl");
    // Other versions write SparkConnect_Execute_; a user id may hold underscores.
    expect(userTagOf(`SparkConnect_Execute_User_svc_etl_Session_${session}_Tag_a_b.c`)).to.equal(
      "a_b.c",
    );
    // SparkContext.addJobTag / spark.job.tags, and Connect's own operation tag, stay as set.
    expect(userTagOf("nightly-etl")).to.equal("nightly-etl");
    const operation = `SparkConnect_OperationTag_User_spark_Session_${session}_Operation_0001`;
    expect(userTagOf(operation)).to.equal(operation);
    const job = {
      jobId: 1,
      stageIds: [],
      jobTags: [operation, `SparkConnect_SessionTag_User_spark_Session_${session}_Tag_nightly-etl`],
    };
    expect(carriesTag(job, "nightly-etl")).to.equal(true);
    expect(carriesTag(job, "nightly")).to.equal(false);
    expect(carriesTag({ jobId: 2, stageIds: [] }, "nightly-etl")).to.equal(false);
  });
});

describe("job KPIs: running applications", () => {
  it("counts a running Connect server's finished tagged Spark jobs and leaves the one in flight out", () => {
    const done = runsOf(
      "spark-41",
      { application: apps41[0]!, jobs: jobs41, stages: stages41, executors: executors41 },
      jobIds,
    )[0]!;
    const runs = runsOf(
      "spark-41",
      {
        application: runningApps41[0]!,
        jobs: runningJobs41,
        stages: runningStages41,
        executors: executors41,
      },
      jobIds,
    );
    expect(runs).to.have.length(1);
    const run = runs[0]!;
    const inFlight = runningJobs41.filter((j) => j.status === "RUNNING");
    expect(inFlight.map((j) => carriesTag(j, JOB))).to.deep.equal([true]);
    expect(runningStages41.some((s) => inFlight[0]!.stageIds.includes(s.stageId))).to.equal(true);
    expect(run.applicationRunning).to.equal(true);
    expect(done.applicationRunning).to.equal(false);
    // The in-flight job's active stage and its tasks are not part of the run yet.
    expect({ ...run, applicationRunning: false }).to.deep.equal(done);
  });

  it("gives a whole application still running no duration yet", () => {
    const app = apps35[0]!;
    const running = {
      ...app,
      attempts: [
        {
          ...app.attempts[0]!,
          endTime: "1969-12-31T23:59:59.999GMT",
          duration: 0,
          completed: false,
        },
      ],
    };
    const [run] = runsOf(
      "spark-35",
      { application: running, jobs: [], stages: stages35, executors: executors35 },
      jobIds,
    );
    expect(run).to.include({
      matchedBy: "app-name",
      applicationRunning: true,
      durationMs: undefined,
    });
    expect(run!.stages).to.equal(stages35.length);
  });
});

describe("job KPIs: per job and release", () => {
  it("drops runs started before --since", async () => {
    const since = Date.parse("2026-11-23T20:43:00Z");
    const report = jobKpis(config, await allRuns(since), { since, onlyJob: JOB });
    expect(report.jobs[0]!.releases.map((r) => r.runs)).to.deep.equal([0, 1]);
  });

  it("keeps only the releases asked for", async () => {
    const report = jobKpis(config, await allRuns(), { onlyJob: JOB, releases: ["spark-41"] });
    expect(report.jobs[0]!.releases.map((r) => [r.release, r.runs])).to.deep.equal([
      ["spark-41", 1],
    ]);
  });

  it("refuses an unknown job, naming it and the known ones", () => {
    expect(() => jobKpis(config, [], { onlyJob: "nightly-typo" })).to.throw(
      `--job nightly-typo: no such job in spark-platform:jobs (known: ${jobIds.join(", ")})`,
    );
  });
});
