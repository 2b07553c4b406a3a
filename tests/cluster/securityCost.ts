// What RPC security costs: the version benchmark's results with RPC authentication,
// encryption and local-file encryption on (as every release runs) against the same
// workload with encryption off (rpcEncryptionSwitch.ts), on the same node in one run.
// Pure: the live suite runs both and prints the table (docs/benchmark.md keeps a run's).
import type { BenchResult } from "../../lib/migration/benchReport";
import { RELEASES, type ReleaseName } from "./clients";

type Results = Readonly<Record<ReleaseName, BenchResult>>;

const ratio = (on: number, off: number) => (off > 0 ? `${(on / off).toFixed(2)}x` : "n/a");

/**
 * A Markdown table: per release and query, seconds with security on and off and their
 * ratio (on / off: above 1 is what security costs), then each release's total.
 */
export function securityCostTable(on: Results, off: Results): string {
  const lines = ["| release | query | on s | off s | on / off |", "|---|---|---:|---:|---:|"];
  for (const release of RELEASES) {
    for (const q of on[release].queries) {
      const other = off[release].queries.find((o) => o.name === q.name);
      lines.push(
        `| ${release} | ${q.name} | ${q.seconds.toFixed(1)} | ${other ? other.seconds.toFixed(1) : "-"} | ${other ? ratio(q.seconds, other.seconds) : "n/a"} |`,
      );
    }
    const [a, b] = [on[release].totalSeconds, off[release].totalSeconds];
    lines.push(
      `| ${release} | **total** | ${a.toFixed(1)} | ${b.toFixed(1)} | **${ratio(a, b)}** |`,
    );
  }
  return lines.join("\n");
}

/** Queries whose answers differ between the two runs of a release (none expected). */
export function answerMismatches(on: Results, off: Results): string[] {
  const mismatches: string[] = [];
  for (const release of RELEASES) {
    for (const q of on[release].queries) {
      const other = off[release].queries.find((o) => o.name === q.name);
      if (!other) mismatches.push(`${release} ${q.name}: missing with security off`);
      else if (JSON.stringify(other.answer) !== JSON.stringify(q.answer)) {
        mismatches.push(`${release} ${q.name}: answers differ`);
      }
    }
  }
  return mismatches;
}
