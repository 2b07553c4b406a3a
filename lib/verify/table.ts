import type { CheckResult } from "./result";

/** The verifier's table: check, subject, pass/WARN/FAIL, detail; columns padded, detail never cut. */
export function formatTable(results: readonly CheckResult[]): string {
  const header = ["CHECK", "SUBJECT", "RESULT", "DETAIL"];
  const rows = results.map((r) => [
    r.check,
    r.subject,
    r.pass ? (r.warning ? "WARN" : "pass") : "FAIL",
    r.pass && r.warning ? `${r.warning} (${r.detail})` : r.detail,
  ]);
  const widths = [0, 1, 2].map((i) =>
    Math.max(header[i]!.length, ...rows.map((r) => r[i]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

/**
 * Closing lines: the passing rows that carry a warning (they do not fail the run), how
 * many rows passed, and the offending subjects when some failed.
 */
export function summary(results: readonly CheckResult[]): string {
  const failed = results.filter((r) => !r.pass);
  const warned = results.filter((r) => r.pass && r.warning);
  const counts = `${results.length - failed.length} passed, ${failed.length} failed`;
  const lines = [
    ...(warned.length
      ? [`WARNINGS (${warned.length}): ${warned.map((r) => `${r.check} ${r.subject}`).join("; ")}`]
      : []),
    counts,
    ...(failed.length
      ? [`FAILED: ${failed.map((r) => `${r.check} ${r.subject}`).join("; ")}`]
      : []),
  ];
  return lines.join("\n");
}
