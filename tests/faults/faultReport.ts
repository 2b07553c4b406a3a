// The fault suite's verdicts and its closing table (npm run test:faults), pure: what a job
// that ran through a fault ended as, and one row per fault with its recovery times.
import { EXPECTED_ROWS, errorLineOf, type JobRun } from "../cluster/jobs";

/** The row the slow action inserts after its sleeping tasks (it_job.py LATE_ROW). */
export const LATE_ROW: [number, string] = [4, "delta"];

/** What a job that ran through a fault ended as. */
export interface JobVerdict {
  readonly outcome: "completed" | "failed with a clear error" | "unclear";
  readonly detail: string;
}

/** The `IT-ERROR <Type>: <message>` line of a failed job's log, if it printed one. */
export const clearError = errorLineOf;

/**
 * A slow job (it_job.py, action slow) completed when its pod succeeded, its sleeping tasks
 * counted every row and the table holds the rows written before and after the fault; it
 * failed clearly when the pod failed with an `IT-ERROR` line naming the error. Anything
 * else (a success with missing rows, a failure without a message) is unclear.
 */
export function slowJobVerdict(run: JobRun, slowRows: number): JobVerdict {
  const r = run.result;
  if (run.phase === "Succeeded" && r) {
    const want = [...EXPECTED_ROWS, LATE_ROW];
    const problems: string[] = [];
    if (r.slowRows !== slowRows) problems.push(`counted ${r.slowRows} of ${slowRows} rows`);
    if (JSON.stringify(r.rows) !== JSON.stringify(want))
      problems.push(`read back ${JSON.stringify(r.rows)}, wanted ${JSON.stringify(want)}`);
    return problems.length
      ? { outcome: "unclear", detail: `${run.pod} succeeded but ${problems.join("; ")}` }
      : { outcome: "completed", detail: `${run.pod} completed in ${run.seconds} s` };
  }
  const error = run.errorLine ?? clearError(run.logTail);
  if (run.phase === "Failed" && error)
    return { outcome: "failed with a clear error", detail: error.slice(0, 300) };
  return {
    outcome: "unclear",
    detail: `${run.pod} ${run.phase} without an IT-ERROR line: ${run.logTail.slice(-300)}`,
  };
}

/** One fault of the suite as the closing table shows it. */
export interface FaultRow {
  readonly fault: string;
  /** passed (every assertion held), failed (one did not: `detail` says which), not run. */
  readonly outcome: "passed" | "failed" | "not run";
  /** What the job running through the fault ended as. */
  readonly job?: JobVerdict["outcome"];
  /** Fault injected -> every pod of the release Ready again. */
  readonly readySeconds?: number;
  /** Fault injected -> the next job (the re-run) succeeded. */
  readonly nextJobSeconds?: number;
  readonly detail: string;
}

/** Seconds from one instant to another, one decimal. */
export function secondsBetween(fromMs: number, toMs: number): number {
  return Math.round((toMs - fromMs) / 100) / 10;
}

const cell = (value: string | number | undefined): string =>
  value === undefined
    ? "-"
    : String(value)
        .replace(/\|/g, "\\|")
        .replace(/\s*\n\s*/g, " ");

/** The Markdown table the suite prints at its end (and docs/faults.md records). */
export function faultTable(rows: readonly FaultRow[]): string {
  const head = [
    "| fault | outcome | job through the fault | fault → all Ready (s) | fault → next job done (s) | detail |",
    "|---|---|---|---|---|---|",
  ];
  return [
    ...head,
    ...rows.map(
      (r) =>
        `| ${[r.fault, r.outcome, r.job, r.readySeconds, r.nextJobSeconds, r.detail].map(cell).join(" | ")} |`,
    ),
  ].join("\n");
}
