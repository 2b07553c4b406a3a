import type { CheckResult } from "./checks";

/** The verifier's table: check, subject, PASS/FAIL, detail; columns padded, detail never cut. */
export function formatTable(results: readonly CheckResult[]): string {
  const header = ["CHECK", "SUBJECT", "RESULT", "DETAIL"];
  const rows = results.map((r) => [r.check, r.subject, r.pass ? "pass" : "FAIL", r.detail]);
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

/** One closing line: how many rows passed, and the offending subjects when some failed. */
export function summary(results: readonly CheckResult[]): string {
  const failed = results.filter((r) => !r.pass);
  const counts = `${results.length - failed.length} passed, ${failed.length} failed`;
  if (failed.length === 0) return counts;
  return `${counts}\nFAILED: ${failed.map((r) => `${r.check} ${r.subject}`).join("; ")}`;
}
