// `npm run bench:cluster`: on the running local cluster, `pulumi up` of a stack configured
// from `local` against the floor of `kubectl apply` of the same objects, with the idle
// usage of the platform and the cluster in between; or only that idle usage.
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { join } from "node:path";
import { stackFilePath } from "../../cli/stackFiles";
import { platformValues } from "../../engine/stackFile";
import { benchDir, type BenchLog } from "./benchLog";
import {
  clusterIsUp,
  existingNamespaces,
  NAMESPACES,
  PLATFORM_NAMESPACES,
  POLL_MS,
} from "./clusterState";
import { measureFloor, undoFloor, type FloorProgress } from "./floorPhase";
import { measurePulumi } from "./pulumiPhase";
import { publishReport } from "./publishReport";
import { BENCH_COMMAND, usageTable } from "./report";
import { MiB, type ClusterBenchResult } from "./result";
import { clockTicks, idleUsage } from "./sampling";
import { prepareStack, removeEmptyStacks, RENDER_STACK, resourceCount, STACK } from "./stacks";

export interface BenchOptions {
  /** Seconds between all Ready and the idle window. */
  readonly settleSeconds: number;
  /** Seconds the idle CPU is averaged over. */
  readonly windowSeconds: number;
  /** Write the figures into docs/local-cluster.md (only an undisturbed run does). */
  readonly writeDocs: boolean;
}

/** Only the idle usage of what runs now in `namespace`, whoever put it there (reads only). */
export async function measureIdleOnly(
  log: BenchLog,
  windowSeconds: number,
  namespace: string,
): Promise<void> {
  await clusterIsUp();
  const ticks = await clockTicks();
  const idle = await idleUsage(log, windowSeconds, ticks, namespace);
  console.log(usageTable({ idle: { windowSeconds, settleSeconds: 0, ...idle } }));
}

/** The whole benchmark; resolves with the exit code (1 when pods of others disturbed it). */
export async function runBenchmark(log: BenchLog, o: BenchOptions): Promise<number> {
  await clusterIsUp();
  const ticks = await clockTicks();
  const busy = await existingNamespaces(PLATFORM_NAMESPACES);
  if (busy.length) {
    throw new Error(
      `namespaces ${busy.join(", ")} exist: another platform is on the node (two do not fit); remove it first`,
    );
  }
  const committed = platformValues(readFileSync(stackFilePath("local"), "utf8"));
  const releases = ((committed["releases"] ?? []) as { name: string }[]).map((r) => r.name);

  const bench = await prepareStack(log, STACK);
  if ((await resourceCount(bench)) > 0) {
    throw new Error(
      `stack ${STACK} has resources of an earlier run: npm run bench:cluster -- --cleanup`,
    );
  }
  let mainUp = false;
  const floor: FloorProgress = { renderUp: false, applied: false };
  try {
    // 1. pulumi up to all Ready; 3. idle usage meanwhile; then destroy.
    mainUp = true;
    const measured = await measurePulumi(log, bench, {
      settleSeconds: o.settleSeconds,
      windowSeconds: o.windowSeconds,
      clockTicks: ticks,
      releases,
    });
    mainUp = false;
    // 2. The floor: the same objects rendered, then kubectl apply.
    const floorMeasured = await measureFloor(log, floor, { committed, releases });
    const disturbances = [...measured.disturbances, ...floorMeasured.disturbances];

    const cpu = cpus();
    const result: ClusterBenchResult = {
      date: new Date().toISOString().slice(0, 10),
      machine: `${cpu.length} cores (${cpu[0]?.model.trim() ?? "?"}), ${Math.round(totalmem() / 1024 / MiB)} GiB, Linux ${release()}`,
      command: BENCH_COMMAND,
      readinessPollSeconds: POLL_MS / 1000,
      pulumi: measured.pulumi,
      kubectl: floorMeasured.kubectl,
      idle: measured.idle,
      disturbances,
    };
    const resultFile = join(benchDir(), `cluster-${log.stamp}.json`);
    writeFileSync(resultFile, JSON.stringify(result, null, 2) + "\n");
    publishReport(log, result, resultFile, o.writeDocs && disturbances.length === 0);
    if (disturbances.length) {
      log.say(
        `DISTURBED: pods of others ran in namespace ${NAMESPACES[0]}; docs not written (run again on a quiet node, or: npm run bench:cluster -- --report ${resultFile})`,
      );
      return 1;
    }
    return 0;
  } finally {
    // Whatever failed, leave nothing of ours on the cluster; the rendered secrets go.
    await undoFloor(log, floor);
    if (mainUp) {
      await bench.stack
        .destroy({ onOutput: log.record })
        .catch((e: unknown) => log.say(`${STACK} destroy: ${String(e)}`));
    }
    await removeEmptyStacks([
      [STACK, bench],
      [RENDER_STACK, floor.render],
    ]);
  }
}
