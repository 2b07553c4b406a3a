import { selectorMatches } from "../kube/analysis/networkPolicy";
import { manifestId, type KubeManifest } from "../kube/objects";
import { namespaceOf, ofKind, type ClusterObjects } from "./objects";
import { row, type CheckResult } from "./result";

/** What a PodDisruptionBudget's spec says, as the disruption controller reads it. */
export interface DisruptionBudgetSpec {
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
}

/** `2` -> 2, `"50%"` of 3 replicas -> 2 (the controller rounds percentages up). */
function scaled(value: number | string, replicas: number): number {
  if (typeof value === "number") return value;
  const percent = /^(\d+)%$/.exec(value);
  return percent ? Math.ceil((Number(percent[1]) * replicas) / 100) : Number(value);
}

/**
 * Voluntary evictions a budget allows when all `replicas` pods are healthy; undefined when
 * it sets neither field. A budget allowing 0 blocks every node drain (the eviction API
 * refuses forever), which is what `minAvailable: 1` on a single replica does.
 */
export function allowedDisruptions(
  spec: DisruptionBudgetSpec,
  replicas: number,
): number | undefined {
  if (spec.maxUnavailable !== undefined) {
    return Math.max(0, Math.min(replicas, scaled(spec.maxUnavailable, replicas)));
  }
  if (spec.minAvailable !== undefined) {
    return Math.max(0, replicas - scaled(spec.minAvailable, replicas));
  }
  return undefined;
}

interface BudgetManifest extends KubeManifest {
  spec?: DisruptionBudgetSpec & { selector?: Parameters<typeof selectorMatches>[0] };
}

interface ReplicatedWorkload extends KubeManifest {
  spec?: { replicas?: number; template?: { metadata?: { labels?: Record<string, string> } } };
}

/**
 * Every PodDisruptionBudget selects a Deployment or StatefulSet and allows at least one
 * disruption at its replica count, so a node drain can always proceed (one pod at a time
 * where a budget exists); single-instance daemons need none.
 */
export function disruptionBudgets(objects: ClusterObjects): CheckResult[] {
  const workloads = ofKind<ReplicatedWorkload>(objects, "Deployment", "StatefulSet");
  return ofKind<BudgetManifest>(objects, "PodDisruptionBudget").map((pdb) => {
    const selected = workloads.filter(
      (w) =>
        namespaceOf(w) === namespaceOf(pdb) &&
        selectorMatches(pdb.spec?.selector, w.spec?.template?.metadata?.labels ?? {}),
    );
    const replicas = selected.reduce((sum, w) => sum + (w.spec?.replicas ?? 1), 0);
    const allowed = allowedDisruptions(pdb.spec ?? {}, replicas);
    const problems: string[] = [];
    if (selected.length === 0) problems.push("selects no Deployment or StatefulSet");
    else if (allowed === undefined) problems.push("sets neither minAvailable nor maxUnavailable");
    else if (allowed < 1) {
      problems.push(
        `allows 0 disruptions of ${replicas} replica(s) (${selected.map(manifestId).join(", ")}): blocks every node drain`,
      );
    }
    return row(
      "disruption-budgets",
      manifestId(pdb),
      problems,
      `allows ${allowed} of ${replicas} replicas (${selected.map(manifestId).join(", ")}) to be evicted at once`,
    );
  });
}
