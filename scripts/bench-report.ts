// npm run bench-report -- [--history <release>=<url>]... [--out <file.md>] <result files...>
// Puts benchmark results (JSON files, or `kubectl logs job/<release>-benchmark` output)
// side by side as Markdown; with --history, adds shuffle bytes and peak memory read
// from that release's History Server REST API (unreachable: "n/a" and a note).
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  benchReport,
  fetchHistoryMetrics,
  parseBenchResult,
  parseHistoryArg,
  type BenchResult,
  type FetchLike,
  type MetricsOutcome,
} from "../lib/migration/benchReport";

const USAGE =
  "usage: npm run bench-report -- [--history <release>=<url>]... [--timeout-ms 3000] [--out <file.md>] <result files...>";

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      history: { type: "string", multiple: true, default: [] },
      out: { type: "string" },
      "timeout-ms": { type: "string", default: "3000" },
    },
  });
  if (positionals.length === 0) {
    console.error(USAGE);
    process.exit(2);
  }
  const results: BenchResult[] = positionals.map((file) =>
    parseBenchResult(readFileSync(file, "utf8"), file),
  );
  const history = new Map((values.history ?? []).map(parseHistoryArg));
  for (const release of history.keys()) {
    if (!results.some((r) => r.release === release)) {
      console.error(`--history ${release}: no result file for release ${release}`);
      process.exit(2);
    }
  }
  const timeoutMs = Number(values["timeout-ms"]);
  const metrics: Record<string, MetricsOutcome> = {};
  await Promise.all(
    results.map(async (result) => {
      const url = history.get(result.release);
      if (url) {
        metrics[result.release] = await fetchHistoryMetrics(
          url,
          result,
          fetch as unknown as FetchLike,
          timeoutMs,
        );
      }
    }),
  );
  const report = benchReport(results, metrics);
  if (values.out) {
    writeFileSync(values.out, report);
    console.log(`wrote ${values.out}`);
  } else {
    process.stdout.write(report);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
