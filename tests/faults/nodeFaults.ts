// Faults of whole nodes: spark-node-2 drained (kubectl drain, which evicts through the API
// and so keeps every PodDisruptionBudget) with a 3.5 job's executor on it, then uncordoned;
// and the whole local cluster stopped and started (`npm run cluster -- down`, then `up`,
// keeping state), after which the stack must come back by itself and a second
// `pulumi up` must change nothing.
import { clusterNode, FIRST_NODE } from "../../cluster/node/clusterNode";
import type { PreparedStack } from "../../tools/engine/workspace";
import {
  changed,
  getItems,
  kubectl,
  shell,
  up,
  waitUntil,
  type KubeObject,
} from "../cluster/support";
import type { FaultSpec } from "./faultCase";
import { releaseNames } from "../../lib/naming/names";
import { killPod, readyPods } from "./faultChecks";

const SECOND = clusterNode(2).name;

/** Pods of a namespace on a node, not already terminating. */
async function podsOn(namespace: string, node: string): Promise<string[]> {
  return (await getItems("pods", namespace))
    .filter(
      (p) =>
        (p.spec as { nodeName?: string } | undefined)?.nodeName === node &&
        !(p.metadata as { deletionTimestamp?: string }).deletionTimestamp,
    )
    .map((p) => p.metadata.name);
}

/** Pod names `kubectl drain` says it evicted. */
export function evictedPods(drainOutput: string): string[] {
  return [...drainOutput.matchAll(/pod\/(\S+) evicted/g)].map((m) => m[1]!);
}

const nodeOf = (pod: KubeObject) => (pod.spec as { nodeName?: string } | undefined)?.nodeName;

const readyWorkers = (namespace: string) => readyPods(namespace, "spark-35", "worker");

/** Puts a 3.5 worker on spark-node-2 (node 1 cordoned while one is rescheduled). */
async function workerOnSecondNode(namespace: string): Promise<void> {
  const workers = await readyWorkers(namespace);
  if (workers.some((w) => nodeOf(w) === SECOND)) return;
  const moved = workers[0];
  if (!moved) throw new Error("no Ready 3.5 worker");
  await kubectl(["cordon", FIRST_NODE.name]);
  try {
    await killPod(namespace, moved.metadata.name);
    await waitUntil(
      `a 3.5 worker Ready on ${SECOND}`,
      300_000,
      async () =>
        (await readyWorkers(namespace)).some((w) => nodeOf(w) === SECOND) ? undefined : "not yet",
      2000,
    );
  } finally {
    await kubectl(["uncordon", FIRST_NODE.name]);
  }
}

/** `name=allowed` pairs of `kubectl get pdb` to a map; complaints when the workers' is missing. */
export function budgetComplaints(budgets: string, workerBudget: string): string[] {
  const allowed = Object.fromEntries(
    budgets
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => pair.split("=") as [string, string]),
  );
  if (!(workerBudget in allowed))
    return [`no PodDisruptionBudget ${workerBudget} before the drain: nothing for it to respect`];
  return Number(allowed[workerBudget]) >= 1
    ? []
    : [`${workerBudget} allowed no disruption before the drain: the drain could not complete`];
}

export function drainFault(namespace: string): FaultSpec {
  let onSecond: string[] = [];
  let budgets = "";
  let evicted: string[] = [];
  return {
    fault: `${SECOND} drained`,
    release: "spark-35",
    job: "drain",
    // The client (driver) pod is a bare pod: drain refuses those, so it runs on node 1.
    clientNode: FIRST_NODE.name,
    setup: () => workerOnSecondNode(namespace),
    before: async () => {
      onSecond = await podsOn(namespace, SECOND);
      budgets = (
        await kubectl([
          "get",
          "pdb",
          "-n",
          namespace,
          "-o",
          "jsonpath={range .items[*]}{.metadata.name}={.status.disruptionsAllowed} {end}",
        ])
      ).stdout.trim();
    },
    inject: async () => {
      const drain = await kubectl(
        ["drain", SECOND, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=600s"],
        true,
      );
      await kubectl(["uncordon", SECOND]);
      if (drain.code !== 0) throw new Error(`kubectl drain ${SECOND}: ${drain.stderr}`);
      evicted = evictedPods(drain.stdout + drain.stderr);
      return onSecond;
    },
    afterwards: async () => ({
      complaints: [
        ...budgetComplaints(budgets, releaseNames("spark-35").worker),
        ...onSecond
          .filter((n) => !evicted.includes(n))
          .map((n) => `${n} was on ${SECOND} but the drain did not evict it`),
      ],
      facts: [
        `budgets before (allowed disruptions): ${budgets || "none"}`,
        `evicted from ${SECOND} (through the eviction API, so within the budgets): ${evicted.join(", ")}; uncordoned`,
      ],
    }),
  };
}

export function clusterRestartFault(prepared: () => PreparedStack): FaultSpec {
  const timings: string[] = [];
  const cli = async (args: string) => {
    const started = Date.now();
    const r = await shell(`npm run --silent cluster -- ${args}`);
    timings.push(
      `cluster ${args}: exit ${r.code} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    if (r.code !== 0) throw new Error(`npm run cluster -- ${args}: ${r.stderr.slice(-2000)}`);
  };
  return {
    fault: "whole cluster down and up",
    release: "spark-35",
    job: "restart",
    // The client pod stops with the cluster: its end is recorded, not asserted.
    jobMust: "anything",
    inject: async () => {
      await cli("down");
      await cli("up --nodes 2");
      return [];
    },
    afterwards: async () => {
      // Run from a tree that does not change under the suite: an edit to the program
      // between the suite's first up and this one shows here as changes.
      const summary = changed(await up(prepared().stack));
      const unchanged = Object.keys(summary).length === 0;
      return {
        complaints: unchanged
          ? []
          : [`a second pulumi up after the restart changed ${JSON.stringify(summary)}`],
        facts: [
          ...timings,
          `every pod Ready again with no pulumi up; the pulumi up after that ${unchanged ? "changed nothing" : `changed ${JSON.stringify(summary)}`}`,
        ],
      };
    },
  };
}

/** How many 3.5 workers the fault suite runs: two, so the platform gives them a budget. */
export const FAULT_WORKERS = 2;

/**
 * The stack file's releases with spark-35 at FAULT_WORKERS workers: with more than one the
 * platform makes their PodDisruptionBudget (`maxUnavailable: 1`), which the drain meets.
 */
export function withFaultWorkers(
  releases: readonly Record<string, unknown>[],
): Record<string, unknown>[] {
  return releases.map((release) =>
    release["name"] === "spark-35"
      ? {
          ...release,
          standalone: {
            ...((release["standalone"] ?? {}) as Record<string, unknown>),
            workers: FAULT_WORKERS,
          },
        }
      : release,
  );
}
