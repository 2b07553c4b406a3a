import { expect } from "chai";
import { jobKpis, type JobKpisReport, type JobRun } from "../../../../lib/migration/jobKpis";
import { formatJobKpisJson, formatJobKpisMarkdown } from "../../../../lib/migration/jobKpisFormat";
import { allRuns, config, JOB, jobIds } from "../../../support/jobKpisHistory";

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
      `| duration | ${(r35!.durationMs! / 1000).toFixed(1)} s | ${(r41!.durationMs! / 1000).toFixed(1)} s | ${(r41!.durationMs! / r35!.durationMs!).toFixed(2)}x |`,
    );
    expect(text).to.match(/\| GC time \| [\d.]+ s \| n\/a \| n\/a \|/);
    expect(text).to.contain(
      "- Runs were recognised differently (spark-35: app-name; spark-41: job-tag)",
    );
    expect(text).to.contain("- GC time n/a on spark-41:");
  });

  it("gives the same figures as JSON, means per run over several runs", async () => {
    const [r35, r41] = await allRuns();
    const second: JobRun = { ...r35!, applicationId: "app-2", durationMs: r35!.durationMs! * 3 };
    const report = JSON.parse(
      formatJobKpisJson(jobKpis(config, [r35!, second, r41!], { stack: "dev" })),
    ) as JobKpisReport;
    expect(report.jobs.map((j) => j.job)).to.deep.equal(jobIds);
    const job = report.jobs.find((j) => j.job === JOB)!;
    const spark35 = job.releases.find((r) => r.release === "spark-35")!;
    expect(spark35.runs).to.equal(2);
    expect(spark35.meanPerRun.durationMs).to.equal(r35!.durationMs! * 2);
    expect(spark35.applications).to.deep.equal([r35!.applicationId, "app-2"]);
    const other = report.jobs.find((j) => j.job !== JOB)!;
    expect(other.releases.every((r) => r.runs === 0 && r.meanPerRun.tasks === undefined)).to.equal(
      true,
    );
  });

  it("marks runs read from a running application, in Markdown and JSON", async () => {
    const report = jobKpis(config, await allRuns(undefined, { connectServerRunning: true }), {
      stack: "dev",
      onlyJob: JOB,
    });
    const text = formatJobKpisMarkdown(report);
    expect(text).to.contain("| runs | 1 | 1 (running app) |  |");
    expect(text).to.contain(
      "- spark-41: running-app data from spark-7f3c2a1b9d0e4c5f8a6b2d1e3f4a5b6c, still running when read",
    );
    const json = JSON.parse(formatJobKpisJson(report)) as JobKpisReport;
    expect(json.jobs[0]!.releases.map((r) => [r.release, r.runningApplications])).to.deep.equal([
      ["spark-35", []],
      ["spark-41", ["spark-7f3c2a1b9d0e4c5f8a6b2d1e3f4a5b6c"]],
    ]);
    const completed = formatJobKpisMarkdown(jobKpis(config, await allRuns(), { onlyJob: JOB }));
    expect(completed).not.to.contain("running app");
  });

  it("names the releases where the job has no run", async () => {
    const since = Date.parse("2026-11-23T20:43:00Z");
    const text = formatJobKpisMarkdown(
      jobKpis(config, await allRuns(since), { since, onlyJob: JOB }),
    );
    expect(text).to.contain("runs started at or after 2026-11-23T20:43:00.000Z");
    expect(text).to.contain("- No run found on spark-35.");
    expect(text).not.to.contain("recognised differently");
  });
});
