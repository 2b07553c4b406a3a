// How many nodes the cluster runs: `up --nodes <n>` says so and records it in the state dir;
// `up` without --nodes starts as many as the last `up` did (one on a fresh state), so
// `down` then `up` brings the same cluster back. `down --purge` forgets it.
import * as fs from "node:fs";
import type { Layout } from "./clusterLayout";
import { MAX_NODES } from "./node/clusterNode";

/** The count `up` starts: the one asked for, else the recorded one, else 1. */
export function nodeCountFor(requested: number | undefined, recorded: number | undefined): number {
  return requested ?? recorded ?? 1;
}

/** The recorded count from the file's text; undefined when absent or not a valid count. */
export function parseNodeCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    const n = (JSON.parse(text) as { nodes?: unknown }).nodes;
    return typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= MAX_NODES ? n : undefined;
  } catch {
    return undefined;
  }
}

export function recordedNodeCount(l: Layout): number | undefined {
  try {
    return parseNodeCount(fs.readFileSync(l.clusterFile, "utf8"));
  } catch {
    return undefined;
  }
}

export function recordNodeCount(l: Layout, nodes: number): void {
  fs.mkdirSync(l.stateDir, { recursive: true });
  fs.writeFileSync(l.clusterFile, JSON.stringify({ nodes }) + "\n");
}
