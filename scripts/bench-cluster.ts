// npm run bench:cluster [-- --settle <s>] [--window <s>] [--no-docs] [--cleanup | --idle-only | --report <json>]
// On the running local cluster (npm run cluster -- up, nothing else on the node):
// 1. times `pulumi up` of a stack configured from `local` (bench-local) to an all-Ready
//    platform, 3. measures idle memory and CPU of the cluster's processes and the
//    platform's pods meanwhile, then destroys it;
// 2. times the floor for the same objects: a second stack (bench-local-render) renders
//    them to a 0700 directory under the cache, `kubectl apply --server-side -R` applies
//    them, to the same readiness; then deletes them and destroys that stack.
// Prints the figures and writes them into docs/local-cluster.md (unless --no-docs).
// --cleanup only destroys and removes the two bench stacks (after an interrupted run);
// --idle-only [--namespace <ns>] only measures the idle usage of what runs now (reads only);
// --report <json> prints an earlier run's figures and writes them into the docs.
// The benchmark itself is tools/bench/cluster/ (run.ts).
import { chmodSync, mkdirSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { benchDir, benchLog } from "../tools/bench/cluster/benchLog";
import { publishReport } from "../tools/bench/cluster/publishReport";
import type { ClusterBenchResult } from "../tools/bench/cluster/result";
import { measureIdleOnly, runBenchmark } from "../tools/bench/cluster/run";
import { cleanupStacks } from "../tools/bench/cluster/stacks";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      settle: { type: "string", default: "30" },
      window: { type: "string", default: "60" },
      "no-docs": { type: "boolean", default: false },
      cleanup: { type: "boolean", default: false },
      "idle-only": { type: "boolean", default: false },
      namespace: { type: "string", default: "spark" },
      report: { type: "string" },
    },
  });
  // The rendered manifests below it hold the stack's secrets.
  const dir = benchDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const log = benchLog(dir);
  log.say(`log: ${log.file}`);
  if (values.cleanup) return cleanupStacks(log);
  if (values.report) {
    // The figures of an earlier run (its JSON), printed and written into the docs as they are.
    const saved = JSON.parse(readFileSync(values.report, "utf8")) as ClusterBenchResult;
    return publishReport(log, saved, values.report, !values["no-docs"]);
  }
  const settleSeconds = Number(values.settle);
  const windowSeconds = Number(values.window);
  if (values["idle-only"]) return measureIdleOnly(log, windowSeconds, values.namespace);
  process.exitCode = await runBenchmark(log, {
    settleSeconds,
    windowSeconds,
    writeDocs: !values["no-docs"],
  });
}

main().catch((error: unknown) => {
  console.error(`[bench] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
