// One fault of the suite, end to end: a slow job on the release the fault hits, the fault
// once the job's tasks run, then what must hold: the job completed or failed with a clear
// error (or what the fault demands), every pod Ready again, a re-run completes, nothing
// finished was lost; and the recovery times (fault -> all Ready, fault -> next job done).
import { CLIENT_PLACEMENT, type NamespaceOf, type ReleaseName } from "../cluster/clients";
import type { JobRun } from "../cluster/jobs";
import { note } from "../cluster/support";
import { lostComplaints, waitAllReady, type Retained } from "./faultChecks";
import { runJob, sleepFor, SLOW_ROWS, startSlowJob, type FaultJobs } from "./faultJobs";
import { secondsBetween, slowJobVerdict, type FaultRow, type JobVerdict } from "./faultReport";

/** Where the suite runs and what it has seen so far (it grows as jobs finish). */
export interface FaultContext {
  readonly jobs: FaultJobs;
  readonly namespaceOf: NamespaceOf;
  readonly eventLogDirs: Readonly<Record<ReleaseName, string>>;
  readonly retained: { tables: Retained["tables"]; applications: Retained["applications"] };
}

export interface FaultSpec {
  /** The row's label. */
  readonly fault: string;
  /** The release the slow job runs on. */
  readonly release: ReleaseName;
  /** Short job name (pod and database names). */
  readonly job: string;
  /** What the job running through the fault must end as (default: complete or fail
   * clearly); "anything" when the fault takes the client pod down with it. */
  readonly jobMust?: "complete" | "fail clearly" | "anything";
  /** The node the job's client pod runs on (default: wherever it is scheduled). */
  readonly clientNode?: string;
  /** Called before the job starts (put the cluster in the shape the fault needs). */
  readonly setup?: () => Promise<void>;
  /** Called once the job's tasks run, just before the fault (state to compare with). */
  readonly before?: () => Promise<void>;
  /** Injects the fault; returns the pods it killed (they must be gone before "Ready").
   * Readiness is awaited once it returns. */
  readonly inject: () => Promise<string[]>;
  /** Checks of the fault's own (master recovery, orphaned executors...), after Ready. */
  readonly afterwards?: (injectedAt: number) => Promise<{ complaints: string[]; facts: string[] }>;
}

export interface FaultResult {
  readonly row: FaultRow;
  readonly complaints: string[];
  readonly facts: string[];
}

const allowed = (must: FaultSpec["jobMust"], verdict: JobVerdict): boolean =>
  must === "anything" ||
  (verdict.outcome !== "unclear" &&
    (must === undefined ||
      (must === "complete" ? verdict.outcome === "completed" : verdict.outcome !== "completed")));

/** A job whose end could not be read (its pod went away with the fault) as a failed run. */
const unreadable = (pod: string, release: ReleaseName, e: unknown): JobRun => ({
  release,
  pod,
  namespace: CLIENT_PLACEMENT.namespace,
  phase: "Unknown",
  seconds: 0,
  logTail: `its end could not be read: ${(e as Error).message.split("\n")[0]}`,
});

export async function runFault(ctx: FaultContext, spec: FaultSpec): Promise<FaultResult> {
  const complaints: string[] = [];
  const facts: string[] = [];
  const namespaces = [...new Set(Object.values(ctx.namespaceOf))];
  await spec.setup?.();
  const running = await startSlowJob(ctx.jobs, spec.release, spec.job, spec.clientNode);
  note(`${spec.fault}: ${running.pod} runs its sleeping tasks`);
  // Let the tasks reach the executors before the fault lands.
  await sleepFor(8000);
  await spec.before?.();
  const injectedAt = Date.now();
  const killed = await spec.inject();
  note(`${spec.fault}: injected${killed.length ? ` (killed ${killed.join(", ")})` : ""}`);
  const [readyAt, run] = await Promise.all([
    waitAllReady(namespaces, killed),
    running.done.catch((e: unknown) => unreadable(running.pod, spec.release, e)),
  ]);
  const readySeconds = secondsBetween(injectedAt, readyAt);
  const verdict = slowJobVerdict(run, SLOW_ROWS);
  facts.push(`job through the fault: ${verdict.outcome}: ${verdict.detail}`);
  facts.push(`every pod Ready again ${readySeconds} s after the fault`);
  if (!allowed(spec.jobMust, verdict))
    complaints.push(
      `the job through the fault ${verdict.outcome}${spec.jobMust ? ` (it must ${spec.jobMust})` : ""}: ${verdict.detail}`,
    );
  if (verdict.outcome === "completed") {
    ctx.retained.tables.push({ release: spec.release, database: running.database });
    if (spec.release === "spark-35" && run.result?.applicationId)
      ctx.retained.applications.push({ release: spec.release, appId: run.result.applicationId });
  }
  if (spec.afterwards) {
    const own = await spec.afterwards(injectedAt);
    complaints.push(...own.complaints);
    facts.push(...own.facts);
  }
  const rerun = await runJob(ctx.jobs, spec.release, `${spec.job}-rerun`, spec.clientNode);
  const nextJobSeconds = secondsBetween(injectedAt, Date.now());
  if (rerun.phase !== "Succeeded")
    complaints.push(`the re-run ${rerun.pod} ${rerun.phase}:\n${rerun.logTail}`);
  else {
    facts.push(`re-run ${rerun.pod} completed ${nextJobSeconds} s after the fault`);
    ctx.retained.tables.push({
      release: spec.release,
      database: rerun.result?.database ?? "",
    });
    if (spec.release === "spark-35" && rerun.result?.applicationId)
      ctx.retained.applications.push({ release: spec.release, appId: rerun.result.applicationId });
  }
  const lost = await lostComplaints(ctx.retained, ctx.namespaceOf, ctx.eventLogDirs);
  complaints.push(...lost);
  facts.push(
    `retained: ${ctx.retained.tables.length} tables, ${ctx.retained.applications.length} finished applications${lost.length ? "" : ", none lost"}`,
  );
  const row: FaultRow = {
    fault: spec.fault,
    outcome: complaints.length ? "failed" : "passed",
    job: verdict.outcome,
    readySeconds,
    nextJobSeconds,
    detail: complaints.length ? complaints.join("; ") : verdict.detail,
  };
  return { row, complaints, facts };
}
