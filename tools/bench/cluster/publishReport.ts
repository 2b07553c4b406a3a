// Prints a run's figures and, when asked, writes them into docs/local-cluster.md.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../cli/stackFiles";
import type { BenchLog } from "./benchLog";
import {
  BENCH_COMMAND,
  BENCH_HEADING,
  benchSection,
  disturbanceNote,
  sumRows,
  timingTable,
  upsertSection,
  usageTable,
} from "./report";
import { MiB, type ClusterBenchResult } from "./result";

export function publishReport(
  log: BenchLog,
  result: ClusterBenchResult,
  resultFile: string,
  writeDocs: boolean,
): void {
  console.log(`${BENCH_COMMAND} (${result.date}, ${result.machine})\n`);
  console.log(timingTable(result));
  console.log();
  console.log(usageTable(result));
  const pods = sumRows("", result.idle.pods);
  console.log(
    `\nplatform pods: ${Math.round(pods.rssBytes / MiB)} MiB RSS, ${Math.round(pods.millicores)}m CPU idle; figures in ${resultFile}`,
  );
  for (const line of disturbanceNote(result.disturbances)) if (line) console.log(line);
  if (!writeDocs) return;
  const doc = join(PROJECT_ROOT, "docs", "local-cluster.md");
  writeFileSync(doc, upsertSection(readFileSync(doc, "utf8"), BENCH_HEADING, benchSection(result)));
  log.say(`wrote the section "${BENCH_HEADING.slice(3)}" of ${doc}`);
}
