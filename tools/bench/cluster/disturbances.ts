// Pods of others in the benchmark's namespace: the scheduler's `Scheduled` events (which
// outlive the pods) say which pods were placed while the benchmark ran, and in which of
// its phases; a pod not named after a release is not the platform's and disturbs the figures.
import { kubectl } from "../../kubectl/client";
import type { BenchLog } from "./benchLog";

/** A core/v1 Event as `kubectl get events -o json` lists it (the fields read here). */
export interface KubeEvent {
  readonly reason?: string;
  readonly involvedObject?: { readonly kind?: string; readonly name?: string };
  readonly eventTime?: string | null;
  readonly firstTimestamp?: string | null;
}

/**
 * When the scheduler placed each pod (its `Scheduled` events outlive the pods), for the
 * pods placed at or after `sinceMs`.
 */
export function podsScheduledSince(
  events: readonly KubeEvent[],
  sinceMs: number,
): Map<string, number> {
  const placed = new Map<string, number>();
  for (const e of events) {
    if (e.reason !== "Scheduled" || e.involvedObject?.kind !== "Pod" || !e.involvedObject.name) {
      continue;
    }
    const at = Date.parse(e.eventTime ?? e.firstTimestamp ?? "");
    if (Number.isFinite(at) && at >= sinceMs) placed.set(e.involvedObject.name, at);
  }
  return new Map([...placed].sort(([a], [b]) => a.localeCompare(b)));
}

/** A stretch of the run, in epoch milliseconds. */
export interface Phase {
  readonly name: string;
  readonly from: number;
  readonly to: number;
}

/** A pod of others and the phase of the run it was placed in ("between phases" if none). */
export interface Disturbance {
  readonly pod: string;
  readonly phase: string;
}

export function disturbancesIn(
  placed: ReadonlyMap<string, number>,
  foreign: readonly string[],
  phases: readonly Phase[],
): Disturbance[] {
  return foreign.map((pod) => {
    const at = placed.get(pod) ?? Number.NaN;
    const phase = phases.find((p) => at >= p.from && at <= p.to);
    return { pod, phase: phase?.name ?? "between phases" };
  });
}

/**
 * Pods that are not the platform's: every pod the platform makes (Deployments, Jobs,
 * Connect executors) is named after its release. Others in the namespace (a test's
 * client pods) disturb what is measured.
 */
export function foreignPods(names: readonly string[], releases: readonly string[]): string[] {
  return names.filter((name) => !releases.some((release) => name.startsWith(`${release}-`)));
}

/** Pods not of the platform placed in `namespace` during `phases`, with their phase. */
export async function podsOfOthers(
  log: BenchLog,
  namespace: string,
  phases: readonly Phase[],
  releases: readonly string[],
): Promise<Disturbance[]> {
  const { stdout } = await kubectl(["get", "events", "-n", namespace, "-o", "json"]);
  const events = (JSON.parse(stdout) as { items: KubeEvent[] }).items;
  const placed = podsScheduledSince(events, Math.min(...phases.map((p) => p.from)) - 1000);
  const found = disturbancesIn(placed, foreignPods([...placed.keys()], releases), phases);
  for (const d of found)
    log.say(`warning: pod of others in ${namespace} during ${d.phase}: ${d.pod}`);
  return found;
}
