import { expect } from "chai";
import {
  formatMigrationStatus,
  migrationStatus,
  PILOT_MAX_SHARE,
  type MigrationStatus,
} from "../../../../lib/migration/status";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";

type Job = { id: string; release: string; pilot?: boolean };

/** Status of the base two-release stack with these jobs (and optional release changes). */
function statusOf(jobs: Job[], releaseChanges: Record<string, unknown>[] = []): MigrationStatus {
  const values = baseValues();
  const releases = (values["releases"] as Record<string, unknown>[]).map((r, i) => ({
    ...r,
    ...(releaseChanges[i] ?? {}),
  }));
  return migrationStatus(parseValid(rawConfig({ ...values, releases, jobs })));
}

const old = (id: string): Job => ({ id, release: "spark-35" });
const moved = (id: string, pilot = false): Job => ({ id, release: "spark-41", pilot });

describe("migration status", () => {
  it("parallel: both releases active, no job on the new line", () => {
    const status = statusOf([old("a"), old("b")]);
    expect(status.phase).to.equal("parallel");
    expect(status.newLine).to.equal("4.1");
    expect(status.oldLines).to.deep.equal(["3.5"]);
    expect(status.migratedJobs).to.equal(0);
    expect(status.migratedShare).to.equal(0);
    expect(status.blockers.map((b) => b.key)).to.deep.equal([
      "spark-platform:jobs[0].release",
      "spark-platform:jobs[1].release",
      "spark-platform:jobs",
    ]);
    expect(status.blockers[2]!.message).to.contain("no pilot");
  });

  it("pilot: only jobs marked pilot run on the new line", () => {
    const status = statusOf([old("a"), old("b"), moved("c", true), moved("d", true)]);
    expect(status.phase).to.equal("pilot");
    expect(status.pilotJobs).to.deep.equal(["c", "d"]);
    expect(status.migratedShare).to.equal(0.5);
    expect(status.blockers.map((b) => b.key)).to.deep.equal([
      "spark-platform:jobs[0].release",
      "spark-platform:jobs[1].release",
    ]);
  });

  it("pilot: an unmarked job counts as pilot while at most PILOT_MAX_SHARE of jobs moved", () => {
    const jobs = [moved("p"), ...["a", "b", "c", "d"].map(old)];
    expect(1 / jobs.length).to.be.at.most(PILOT_MAX_SHARE);
    const status = statusOf(jobs);
    expect(status.phase).to.equal("pilot");
    // Unmarked: decommissioning stays blocked until a pilot is named.
    expect(status.blockers.some((b) => b.message.includes("no pilot"))).to.equal(true);
  });

  it("rollout: more than the pilot runs on the new line", () => {
    const status = statusOf([old("a"), moved("b", true), moved("c"), moved("d")]);
    expect(status.phase).to.equal("rollout");
    expect(status.migratedJobs).to.equal(3);
    expect(status.blockers).to.deep.equal([
      {
        key: "spark-platform:jobs[0].release",
        message: "job a still runs on spark-35 (Spark 3.5.7)",
      },
    ]);
  });

  it("rollout: unmarked jobs above PILOT_MAX_SHARE", () => {
    expect(statusOf([old("a"), moved("b")]).phase).to.equal("rollout");
  });

  it("decommission-ready: no job left on the old release, nothing blocks", () => {
    const status = statusOf([moved("a", true), moved("b")]);
    expect(status.phase).to.equal("decommission-ready");
    expect(status.migratedShare).to.equal(1);
    expect(status.blockers).to.deep.equal([]);
    expect(status.next).to.contain("decommissioned: true on spark-35");
  });

  it("decommission-ready but blocked when no pilot was ever marked", () => {
    const status = statusOf([moved("a"), moved("b")]);
    expect(status.phase).to.equal("decommission-ready");
    expect(status.blockers.map((b) => b.key)).to.deep.equal(["spark-platform:jobs"]);
  });

  it("decommissioned: the old release is marked decommissioned", () => {
    const status = statusOf([moved("a", true)], [{ decommissioned: true }]);
    expect(status.phase).to.equal("decommissioned");
    expect(status.blockers).to.deep.equal([]);
    expect(status.releases[0]).to.include({ release: "spark-35", decommissioned: true });
  });

  it("blocks when the new line has no active release", () => {
    const status = statusOf([old("a")], [{}, { decommissioned: true }]);
    expect(status.phase).to.equal("parallel");
    expect(status.blockers.map((b) => b.message)).to.include(
      "no active release on the 4.1 line to take over the jobs",
    );
  });

  it("single-line: every release on one Spark line", () => {
    const values = baseValues();
    const releases = (values["releases"] as Record<string, unknown>[]).slice(1);
    const status = migrationStatus(
      parseValid(rawConfig({ ...values, releases, jobs: [moved("a")] })),
    );
    expect(status.phase).to.equal("single-line");
    expect(status.oldLines).to.deep.equal([]);
    expect(status.blockers).to.deep.equal([]);
  });

  it("orders lines numerically (3.10 would be newer than 3.9), not as strings", () => {
    // Only 3.5 and 4.1 are supported; swap their order in config to show order does not matter.
    const values = baseValues();
    const releases = (values["releases"] as Record<string, unknown>[]).slice().reverse();
    const status = migrationStatus(parseValid(rawConfig({ ...values, releases, jobs: [] })));
    expect(status.newLine).to.equal("4.1");
    expect(status.releases.map((r) => [r.release, r.role])).to.deep.equal([
      ["spark-41", "new"],
      ["spark-35", "old"],
    ]);
  });
});

describe("formatMigrationStatus", () => {
  it("prints jobs per release, share, phase and blockers", () => {
    const text = formatMigrationStatus(
      statusOf([old("daily-sales"), old("churn"), moved("clicks", true)]),
      "prod",
    );
    expect(text).to.equal(
      [
        "Migration 3.5 -> 4.1 (stack prod): phase pilot",
        "",
        "Jobs per release:",
        "  spark-35  3.5.7 standalone old active: 2 jobs: daily-sales, churn",
        "  spark-41  4.1.0 connect    new active: 1 job: clicks [pilot]",
        "",
        "Migrated: 1 of 3 jobs (33%) on the 4.1 line",
        "",
        "Blocks decommissioning:",
        "  - spark-platform:jobs[0].release: job daily-sales still runs on spark-35 (Spark 3.5.7)",
        "  - spark-platform:jobs[1].release: job churn still runs on spark-35 (Spark 3.5.7)",
        "",
        "Next: compare pilot results (npm run bench-report), then route more jobs to the 4.1 release",
        "",
      ].join("\n"),
    );
  });

  it("says so when the old release is decommissioned and when there are no jobs", () => {
    const done = formatMigrationStatus(statusOf([moved("a", true)], [{ decommissioned: true }]));
    expect(done).to.contain("phase decommissioned");
    expect(done).to.contain("spark-35  3.5.7 standalone old decommissioned: 0 jobs");
    expect(done).to.contain("Decommission: done");
    const empty = formatMigrationStatus(statusOf([]));
    expect(empty).to.contain("Migrated: no jobs configured");
    expect(empty).to.contain("Decommission: nothing blocks");
  });
});
