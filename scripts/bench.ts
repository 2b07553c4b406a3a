// npm run bench [-- --runs N]
// How long evaluating the whole program takes (config validation, every component,
// every resource registration against Pulumi's in-process mock monitor) for dev, prod
// and a generated 20-release stack. Prints median, min and max of N runs and memory.
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { PLACEHOLDER_SECRETS, stackFilePath } from "../tools/cli/stackFiles";
import type { RawConfig } from "../lib/config/model";
import { rawConfigFromStackFile } from "../lib/config/sources";
import { evaluateProgram } from "../tools/render/evaluate";
import { generatedStack } from "../tools/bench/generatedStack";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "7" } } });
  const runs = Number(values.runs);
  const stacks: [string, RawConfig][] = [
    ["dev", rawConfigFromStackFile(stackFilePath("dev"))],
    ["prod", rawConfigFromStackFile(stackFilePath("prod"))],
    ["generated-20", generatedStack(20)],
  ];
  // Warm-up: module loading and JIT are not what is being measured.
  await evaluateProgram(stacks[0]![1], PLACEHOLDER_SECRETS, "warmup");

  console.log(`program evaluation under Pulumi mocks, ${runs} runs each (node ${process.version})`);
  console.log("stack          resources  median ms  min ms  max ms  heap MiB");
  for (const [name, raw] of stacks) {
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const { resources } = await evaluateProgram(raw, PLACEHOLDER_SECRETS, name);
      times.push(performance.now() - start);
      count = resources.length;
    }
    const heap = process.memoryUsage().heapUsed / 1048576;
    console.log(
      `${name.padEnd(14)} ${String(count).padStart(9)}  ${median(times).toFixed(1).padStart(9)}  ${Math.min(
        ...times,
      )
        .toFixed(1)
        .padStart(6)}  ${Math.max(...times)
        .toFixed(1)
        .padStart(6)}  ${heap.toFixed(0).padStart(8)}`,
    );
  }
  console.log(`rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
