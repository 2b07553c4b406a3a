import type { JobConfig, PlatformConfig, ReleaseConfig } from "../config/model";

/**
 * Where a migration between Spark lines stands, computed from the stack configuration
 * alone (no cluster needed): which jobs run where, how far the move to the newest line
 * got, and what still blocks decommissioning the old releases.
 *
 * Phases, in the order a migration walks through them:
 * - `parallel`: old and new releases are active and no job runs on the new line yet.
 * - `pilot`: the only jobs on the new line are pilots: every one is marked `pilot: true`,
 *   or (unmarked) they are at most {@link PILOT_MAX_SHARE} of all jobs.
 * - `rollout`: more than the pilot runs on the new line; jobs remain on an old release.
 * - `decommission-ready`: no job is left on any old release; they can be decommissioned.
 * - `decommissioned`: every old release is marked `decommissioned: true`.
 * `single-line` means there is nothing to migrate: every release is on one Spark line.
 */
export type MigrationPhase =
  | "single-line"
  | "parallel"
  | "pilot"
  | "rollout"
  | "decommission-ready"
  | "decommissioned";

/**
 * Largest share of all jobs that may run on the new line and still count as a pilot when
 * the jobs are not marked `pilot: true`: one job in five. Marking pilots explicitly is
 * clearer; this keeps a small unmarked trial from being reported as a rollout.
 */
export const PILOT_MAX_SHARE = 0.2;

/** A job with its position in `spark-platform:jobs`, for messages naming the key. */
export interface IndexedJob extends JobConfig {
  readonly index: number;
}

export interface ReleaseJobs {
  readonly release: string;
  readonly sparkVersion: string;
  /** `major.minor`, e.g. "4.1". */
  readonly line: string;
  readonly mode: ReleaseConfig["mode"];
  readonly decommissioned: boolean;
  /** `new`: on the newest Spark line of the stack; `old`: any older line. */
  readonly role: "old" | "new";
  readonly jobs: readonly IndexedJob[];
}

/** One reason the old releases cannot be decommissioned yet. */
export interface DecommissionBlocker {
  /** Config key to change, e.g. `spark-platform:jobs[0].release`. */
  readonly key: string;
  readonly message: string;
}

export interface MigrationStatus {
  readonly phase: MigrationPhase;
  /** Newest Spark line of the stack (the migration target). */
  readonly newLine: string;
  /** Older lines, newest first (empty for `single-line`). */
  readonly oldLines: readonly string[];
  readonly releases: readonly ReleaseJobs[];
  readonly totalJobs: number;
  /** Jobs routed to a release of the newest line. */
  readonly migratedJobs: number;
  /** migratedJobs / totalJobs, or undefined when there are no jobs. */
  readonly migratedShare: number | undefined;
  /** Ids of jobs on the new line marked `pilot: true`. */
  readonly pilotJobs: readonly string[];
  /** Empty when the old releases can be (or are) decommissioned. */
  readonly blockers: readonly DecommissionBlocker[];
  /** What to do next, in one sentence. */
  readonly next: string;
}

/** `"3.5"` -> `[3, 5]`, for numeric comparison ("3.10" is newer than "3.9"). */
function lineKey(line: string): [number, number] {
  const [major, minor] = line.split(".").map(Number);
  return [major ?? 0, minor ?? 0];
}

function compareLines(a: string, b: string): number {
  const [aMajor, aMinor] = lineKey(a);
  const [bMajor, bMinor] = lineKey(b);
  return aMajor - bMajor || aMinor - bMinor;
}

export function migrationStatus(config: PlatformConfig): MigrationStatus {
  const lines = [...new Set(config.releases.map((r) => r.line.line))].sort(compareLines);
  const newLine = lines[lines.length - 1] ?? "";
  const oldLines = lines.slice(0, -1).reverse();
  const jobs: IndexedJob[] = config.jobs.map((job, index) => ({ ...job, index }));

  const releases: ReleaseJobs[] = config.releases.map((release) => ({
    release: release.name,
    sparkVersion: release.sparkVersion,
    line: release.line.line,
    mode: release.mode,
    decommissioned: release.decommissioned,
    role: release.line.line === newLine ? "new" : "old",
    jobs: jobs.filter((job) => job.release === release.name),
  }));
  const oldReleases = releases.filter((r) => r.role === "old");
  const newReleases = releases.filter((r) => r.role === "new");
  const onNew = newReleases.flatMap((r) => r.jobs);
  const onOld = oldReleases.flatMap((r) => r.jobs);
  const pilotJobs = onNew.filter((j) => j.pilot).map((j) => j.id);
  const totalJobs = jobs.length;
  const migratedShare = totalJobs > 0 ? onNew.length / totalJobs : undefined;

  const blockers: DecommissionBlocker[] = [];
  for (const old of oldReleases.filter((r) => !r.decommissioned)) {
    for (const job of old.jobs) {
      blockers.push({
        key: `spark-platform:jobs[${job.index}].release`,
        message: `job ${job.id} still runs on ${old.release} (Spark ${old.sparkVersion})`,
      });
    }
  }
  const activeNew = newReleases.filter((r) => !r.decommissioned);
  const oldStillActive = oldReleases.some((r) => !r.decommissioned);
  if (oldStillActive && activeNew.length === 0) {
    blockers.push({
      key: "spark-platform:releases",
      message: `no active release on the ${newLine} line to take over the jobs`,
    });
  }
  if (oldStillActive && totalJobs > 0 && pilotJobs.length === 0) {
    blockers.push({
      key: "spark-platform:jobs",
      message: `no pilot: no job on the ${newLine} line is marked pilot: true, so nothing has been validated there first`,
    });
  }

  const phase = phaseOf(
    oldReleases,
    onNew,
    onOld,
    totalJobs,
    oldLines.length === 0 && config.releases.length > 0,
  );
  return {
    phase,
    newLine,
    oldLines,
    releases,
    totalJobs,
    migratedJobs: onNew.length,
    migratedShare,
    pilotJobs,
    blockers,
    next: nextStep(phase, newLine, oldReleases, blockers),
  };
}

function phaseOf(
  oldReleases: readonly ReleaseJobs[],
  onNew: readonly IndexedJob[],
  onOld: readonly IndexedJob[],
  totalJobs: number,
  singleLine: boolean,
): MigrationPhase {
  if (singleLine || oldReleases.length === 0) return "single-line";
  if (oldReleases.every((r) => r.decommissioned)) return "decommissioned";
  if (onNew.length === 0) return "parallel";
  if (onOld.length === 0) return "decommission-ready";
  const allMarked = onNew.every((j) => j.pilot);
  return allMarked || onNew.length / totalJobs <= PILOT_MAX_SHARE ? "pilot" : "rollout";
}

function nextStep(
  phase: MigrationPhase,
  newLine: string,
  oldReleases: readonly ReleaseJobs[],
  blockers: readonly DecommissionBlocker[],
): string {
  const old = oldReleases
    .filter((r) => !r.decommissioned)
    .map((r) => r.release)
    .join(", ");
  switch (phase) {
    case "single-line":
      return "nothing to migrate: add a release of the new Spark line to start the parallel phase";
    case "parallel":
      return `pick one or two jobs, route them to the ${newLine} release and mark them pilot: true`;
    case "pilot":
      return `compare pilot results (npm run bench-report), then route more jobs to the ${newLine} release`;
    case "rollout":
      return `route the remaining ${blockers.filter((b) => b.key.endsWith(".release")).length} job(s) off ${old}`;
    case "decommission-ready":
      return blockers.length > 0
        ? `resolve the blockers below before setting decommissioned: true on ${old}`
        : `set decommissioned: true on ${old} (data is retained; rollback: set it back to false)`;
    case "decommissioned":
      return "done; retained data of the old releases can be removed deliberately (docs/migration-runbook.md)";
  }
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** Human-readable report, as `npm run migration-status` prints it. */
export function formatMigrationStatus(status: MigrationStatus, stack?: string): string {
  const out: string[] = [];
  const from = status.oldLines.length > 0 ? `${status.oldLines.join(", ")} -> ` : "";
  out.push(
    `Migration ${from}${status.newLine}${stack ? ` (stack ${stack})` : ""}: phase ${status.phase}`,
  );
  out.push("");
  out.push("Jobs per release:");
  const width = Math.max(...status.releases.map((r) => r.release.length), 7);
  for (const r of status.releases) {
    const state = r.decommissioned ? "decommissioned" : "active";
    const ids = r.jobs.map((j) => (j.pilot ? `${j.id} [pilot]` : j.id));
    const count = `${r.jobs.length} job${r.jobs.length === 1 ? "" : "s"}`;
    out.push(
      `  ${r.release.padEnd(width)}  ${r.sparkVersion} ${r.mode.padEnd(10)} ${r.role} ${state}: ${count}${ids.length > 0 ? `: ${ids.join(", ")}` : ""}`,
    );
  }
  out.push("");
  out.push(
    status.migratedShare === undefined
      ? `Migrated: no jobs configured (spark-platform:jobs is empty)`
      : `Migrated: ${status.migratedJobs} of ${status.totalJobs} jobs (${percent(status.migratedShare)}) on the ${status.newLine} line`,
  );
  out.push("");
  if (status.phase === "single-line") {
    out.push("Decommission: no older line to decommission.");
  } else if (status.phase === "decommissioned") {
    out.push("Decommission: done; old releases keep their database, role and prefix (retained).");
  } else if (status.blockers.length === 0) {
    out.push("Decommission: nothing blocks decommissioning the old releases.");
  } else {
    out.push("Blocks decommissioning:");
    for (const blocker of status.blockers) out.push(`  - ${blocker.key}: ${blocker.message}`);
  }
  out.push("");
  out.push(`Next: ${status.next}`);
  return out.join("\n") + "\n";
}
