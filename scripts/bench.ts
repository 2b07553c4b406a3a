// npm run bench [-- --runs N --cold-runs N --stacks dev,generated-20]
// Start-up against its floor (tools/bench/floor.ts: the same SDK registering as many
// trivial resources of the same kinds under the same mocks), for dev, prod and a
// generated 20-release stack:
// - cold: a fresh process per run, as `npm run render` / `npm run check-config` start,
//   and the Pulumi program as the language host starts it (under mocks), each beside the
//   floor as a program of its own, interleaved so they share the machine's load;
// - in-process: evaluating the program again in a warm process (module loading and JIT
//   excluded), beside registering the floor's resources the same way;
// - the cost of one credential digest.
// Prints medians and the ratio to the floor. Figures, not a timed test: docs/startup.md.
import { projectNodeArgs } from "../tools/bench/projectNodeArgs";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { PLACEHOLDER_SECRETS, PROJECT_ROOT, stackFilePath } from "../tools/cli/stackFiles";
import type { RawConfig } from "../lib/config/model";
import { rawConfigFromStackFile } from "../lib/config/sources";
import { secretDataDigest } from "../lib/credentials/derivation";
import { evaluateProgram } from "../tools/render/evaluate";
import { RENDER_DIGEST_KEY, renderMocks, waitForRegistrations } from "../tools/render/mocks";
import { generatedStack } from "../tools/bench/generatedStack";
import {
  median,
  npmScriptArgv,
  pulumiConfigEnv,
  stackFileYaml,
  timeProcess,
  type Timing,
} from "../tools/bench/coldStart";
import {
  registerFloor,
  resourceCount,
  resourceKinds,
  type ResourceKind,
} from "../tools/bench/floor";

const LAUNCHER = "tools/launcher/run.cjs";
const COLD_COMMANDS = ["floor", "floor-tuned", "render", "check-config", "program"] as const;
type ColdCommand = (typeof COLD_COMMANDS)[number];

interface Stack {
  readonly name: string;
  readonly raw: RawConfig;
  /** A Pulumi.<stack>.yaml holding the configuration. */
  readonly file: string;
}

const pad = (text: string | number, width: number) => String(text).padStart(width);

async function floorMilliseconds(kinds: readonly ResourceKind[]): Promise<number> {
  await pulumi.runtime.setMocks(renderMocks(RENDER_DIGEST_KEY), "spark-platform", "floor", false);
  const start = performance.now();
  registerFloor(kinds);
  await waitForRegistrations();
  return performance.now() - start;
}

async function programMilliseconds(raw: RawConfig, name: string): Promise<number> {
  const start = performance.now();
  await evaluateProgram(raw, PLACEHOLDER_SECRETS, name);
  return performance.now() - start;
}

/** Pulumi.yaml's `runtime.options.nodeargs`, which the language host passes to node. */
const nodeArgs = projectNodeArgs(readFileSync(join(PROJECT_ROOT, "Pulumi.yaml"), "utf8"));

function coldArgv(command: ColdCommand, stack: Stack, kindsFile: string, outDir: string) {
  const scripts = (
    JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  switch (command) {
    case "floor":
      return ["node", LAUNCHER, "tools/bench/floorProgram.ts", kindsFile];
    case "floor-tuned":
      return ["node", LAUNCHER, "tools/bench/floorProgram.ts", kindsFile];
    case "render":
      return [
        ...npmScriptArgv(scripts, "render"),
        ...["--stack", stack.name, "--file", stack.file, "--out", outDir],
      ];
    case "check-config":
      return [...npmScriptArgv(scripts, "check-config"), stack.file];
    case "program":
      // As the language host starts it: node with Pulumi.yaml's `nodeargs`.
      return ["node", ...nodeArgs, "tools/bench/programUnderMocks.cjs", stack.name];
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "7" },
      "cold-runs": { type: "string", default: "5" },
      stacks: { type: "string", default: "dev,prod,generated-20" },
    },
  });
  const runs = Number(values.runs);
  const coldRuns = Number(values["cold-runs"]);
  const work = mkdtempSync(join(tmpdir(), "spark-platform-bench-"));
  try {
    const generatedFile = join(work, "Pulumi.generated-20.yaml");
    writeFileSync(generatedFile, stackFileYaml(generatedStack(20)));
    const all: Stack[] = [
      {
        name: "dev",
        raw: rawConfigFromStackFile(stackFilePath("dev")),
        file: stackFilePath("dev"),
      },
      {
        name: "prod",
        raw: rawConfigFromStackFile(stackFilePath("prod")),
        file: stackFilePath("prod"),
      },
      { name: "generated-20", raw: rawConfigFromStackFile(generatedFile), file: generatedFile },
    ];
    const wanted = values.stacks!.split(",");
    const stacks = all.filter((s) => wanted.includes(s.name));

    console.log(
      `npm run bench: node ${process.version}, ${process.platform} ${process.arch}, ${cpus().length} CPUs, ` +
        `load average ${loadavg()[0]!.toFixed(1)} at start`,
    );
    console.log(
      "floor: @pulumi/pulumi + @pulumi/kubernetes registering as many trivial resources of the " +
        "same kinds, under the same mocks (tools/bench/floor.ts), the SDK as it ships; " +
        "floor-tuned: the same started as our commands start (tools/launcher: compile cache, " +
        "closure serialization deferred, no unread promise stack traces)",
    );

    // Kinds come from one evaluation; it also warms this process for the in-process runs.
    const kinds = new Map<string, ResourceKind[]>();
    for (const stack of stacks) {
      const { resources } = await evaluateProgram(stack.raw, PLACEHOLDER_SECRETS, stack.name);
      kinds.set(stack.name, resourceKinds(resources));
    }

    console.log(
      `\ncold start, a fresh process per run (npm's own start-up excluded), median of ${coldRuns}; ` +
        "CPU = user + system of the process",
    );
    console.log(
      "stack          command        wall s   CPU s  wall ×floor  CPU ×floor  CPU ×floor-tuned",
    );
    for (const stack of stacks) {
      const kindsFile = join(work, `${stack.name}.kinds.json`);
      writeFileSync(kindsFile, JSON.stringify(kinds.get(stack.name)));
      const programEnv = { ...process.env, ...pulumiConfigEnv(stack.raw) };
      const timings = new Map<ColdCommand, Timing[]>(COLD_COMMANDS.map((c) => [c, []]));
      for (let round = 0; round < coldRuns; round++) {
        for (const command of COLD_COMMANDS) {
          const argv = coldArgv(command, stack, kindsFile, join(work, "render"));
          const env =
            command === "program"
              ? programEnv
              : command === "floor"
                ? // The floor as defined: the SDK as it ships, every module compiled afresh.
                  {
                    ...process.env,
                    NODE_DISABLE_COMPILE_CACHE: "1",
                    SPARK_PLATFORM_PULUMI_AS_SHIPPED: "1",
                  }
                : process.env;
          timings.get(command)!.push(timeProcess(argv, { cwd: PROJECT_ROOT, env }));
        }
      }
      const floorWall = median(timings.get("floor")!.map((t) => t.wall));
      const floorCpu = median(timings.get("floor")!.map((t) => t.cpu));
      const tunedCpu = median(timings.get("floor-tuned")!.map((t) => t.cpu));
      for (const command of COLD_COMMANDS) {
        const wall = median(timings.get(command)!.map((t) => t.wall));
        const cpu = median(timings.get(command)!.map((t) => t.cpu));
        const ratios =
          command === "floor"
            ? ""
            : `${pad((wall / floorWall).toFixed(2), 12)}${pad((cpu / floorCpu).toFixed(2), 12)}` +
              pad((cpu / tunedCpu).toFixed(2), 18);
        console.log(
          `${stack.name.padEnd(14)} ${command.padEnd(13)} ${pad(wall.toFixed(2), 7)} ${pad(cpu.toFixed(2), 7)}${ratios}`,
        );
      }
    }

    console.log(`\nin-process, warm (module loading and JIT excluded), median of ${runs}; wall ms`);
    console.log("stack          resources   floor ms  program ms  ×floor  heap MiB");
    for (const stack of stacks) {
      const stackKinds = kinds.get(stack.name)!;
      const floor: number[] = [];
      const program: number[] = [];
      for (let i = 0; i < runs; i++) {
        floor.push(await floorMilliseconds(stackKinds));
        program.push(await programMilliseconds(stack.raw, stack.name));
      }
      const heap = process.memoryUsage().heapUsed / 1048576;
      console.log(
        `${stack.name.padEnd(14)} ${pad(resourceCount(stackKinds), 9)} ${pad(median(floor).toFixed(0), 10)} ` +
          `${pad(median(program).toFixed(0), 11)} ${pad((median(program) / median(floor)).toFixed(2), 7)} ${pad(heap.toFixed(0), 9)}`,
      );
    }

    const digests = 20000;
    const data = { username: "metastore_spark41", password: "x".repeat(40) };
    const start = performance.now();
    for (let i = 0; i < digests; i++) secretDataDigest(RENDER_DIGEST_KEY, `r/ns/secret-${i}`, data);
    const micros = ((performance.now() - start) * 1000) / digests;
    console.log(
      `\ncredential digest (HMAC-SHA256, lib/credentials/derivation.ts): ${micros.toFixed(1)} µs each, median-free mean of ${digests}`,
    );
    console.log(`rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
