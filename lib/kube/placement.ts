import type { IIoK8sApiCoreV1PodSpec as IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { PodPlacement } from "../config/model";

/** The PodSpec fields a release's placement sets; no builder sets them itself. */
export const PLACEMENT_FIELDS = [
  "nodeSelector",
  "tolerations",
  "affinity",
  "topologySpreadConstraints",
  "priorityClassName",
] as const satisfies readonly (keyof PodPlacement & keyof IPodSpec)[];

/**
 * A pod spec with its release's placement. Every builder of a pod (Deployments, Jobs, the
 * Connect executors' pod template) passes its spec through here, so every pod of a
 * release lands where the release's `placement` says and nowhere else differs. The
 * fields are copied, so no two manifests share an object (YAML would alias them).
 */
export function withPlacement<S extends IPodSpec>(spec: S, placement: PodPlacement): S {
  const fields: Partial<IPodSpec> = {};
  for (const field of PLACEMENT_FIELDS) {
    const value = placement[field];
    if (value === undefined) continue;
    if (spec[field] !== undefined) {
      throw new Error(`pod spec already sets ${field}; it belongs to the release's placement`);
    }
    Object.assign(fields, { [field]: structuredClone(value) });
  }
  return { ...spec, ...fields };
}
