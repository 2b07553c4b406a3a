import type { KubeManifest } from "../../lib/kube/objects";
import { clusterObjects, type ClusterObjects } from "../../lib/verify/objects";
import { failures, type CheckResult } from "../../lib/verify/result";
import { renderStack } from "./stacks";

/** Rendered manifests a test edits freely: JSON-shaped, so typed loosely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

/** A deep copy of a rendered stack's manifests, so a test may break them. */
export async function editableManifests(stack: "dev" | "prod"): Promise<Loose[]> {
  return structuredClone((await renderStack(stack)).manifests) as Loose[];
}

/** The manifest of one kind and name (kinds share names, so both are needed). */
export function find(manifests: Loose[], kind: string, name: string): Loose {
  const found = manifests.find((m) => m.kind === kind && m.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}

/** What a verifier check sees of these manifests. */
export const objectsOf = (manifests: readonly KubeManifest[]): ClusterObjects =>
  clusterObjects(manifests);

/** The failing rows, as `subject: detail` lines. */
export const failing = (results: readonly CheckResult[]): string[] =>
  failures(results).map((r) => `${r.subject}: ${r.detail}`);
