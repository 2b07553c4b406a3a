// The measured path: `pulumi up` of bench-local to an all-Ready platform, its idle usage
// once settled, then `pulumi destroy` until its pods and namespace are gone.
import type { PreparedStack } from "../../engine/workspace";
import { platformComplaints } from "../../kubectl/readiness";
import type { BenchLog } from "./benchLog";
import { NAMESPACES, waitGone, waitReady } from "./clusterState";
import { podsOfOthers, type Disturbance } from "./disturbances";
import type { ClusterBenchResult } from "./result";
import { idleUsage } from "./sampling";
import { resourceCount, STACK } from "./stacks";

const seconds = (since: number): number => (Date.now() - since) / 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PulumiPhaseOptions {
  readonly settleSeconds: number;
  readonly windowSeconds: number;
  readonly clockTicks: number;
  /** Release names of the stack: pods named after none of them are others'. */
  readonly releases: readonly string[];
}

/** Up, Ready, idle, destroyed: the caller destroys the stack if this throws. */
export async function measurePulumi(
  log: BenchLog,
  bench: PreparedStack,
  o: PulumiPhaseOptions,
): Promise<Pick<ClusterBenchResult, "pulumi" | "idle" | "disturbances">> {
  log.say(`${STACK}: pulumi up`);
  let started = Date.now();
  const runStarted = started;
  await bench.stack.up({ onOutput: log.record });
  const upSeconds = seconds(started);
  log.say(`${STACK}: up returned after ${upSeconds.toFixed(1)} s; waiting for all Ready`);
  await waitReady(`${STACK} all Ready`);
  const readySeconds = seconds(started);
  const readyAt = Date.now();
  const resources = await resourceCount(bench);
  log.say(`${STACK}: all Ready after ${readySeconds.toFixed(1)} s (${resources} resources)`);

  log.say(`idle: settling ${o.settleSeconds} s, then measuring over ${o.windowSeconds} s`);
  await sleep(o.settleSeconds * 1000);
  const windowFrom = Date.now();
  const idle = await idleUsage(log, o.windowSeconds, o.clockTicks, NAMESPACES[0]!);
  const windowTo = Date.now();
  const afterIdle = await platformComplaints(NAMESPACES);
  if (afterIdle.length) {
    log.say(`warning: not all Ready after the idle window: ${afterIdle.join("; ")}`);
  }
  const disturbances: Disturbance[] = await podsOfOthers(
    log,
    NAMESPACES[0]!,
    [
      { name: "pulumi up", from: runStarted, to: readyAt },
      { name: "settling", from: readyAt, to: windowFrom },
      { name: "idle window", from: windowFrom, to: windowTo },
      { name: "after the idle window", from: windowTo, to: Date.now() },
    ],
    o.releases,
  );

  log.say(`${STACK}: pulumi destroy`);
  started = Date.now();
  await bench.stack.destroy({ onOutput: log.record });
  const destroySeconds = seconds(started);
  await waitGone(`${STACK}: release pods gone`);
  const goneSeconds = seconds(started);
  log.say(
    `${STACK}: destroyed in ${destroySeconds.toFixed(1)} s, pods gone after ${goneSeconds.toFixed(1)} s`,
  );
  return {
    pulumi: { upSeconds, readySeconds, destroySeconds, goneSeconds, resources },
    idle: { windowSeconds: o.windowSeconds, settleSeconds: o.settleSeconds, ...idle },
    disturbances,
  };
}
