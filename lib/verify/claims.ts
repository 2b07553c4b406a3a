import type { PodModel } from "../kube/analysis/pods";
import { RELEASE_LABEL } from "../kube/objects";
import { findObject, releaseOf, releaseOfManifest, type ClusterObjects } from "./objects";
import { releaseText, row, type CheckResult } from "./result";

/** PersistentVolumeClaim names a pod mounts. */
export function referencedClaims(pod: PodModel): string[] {
  return [
    ...new Set(
      (pod.spec.volumes ?? []).flatMap((v) =>
        v.persistentVolumeClaim?.claimName ? [v.persistentVolumeClaim.claimName] : [],
      ),
    ),
  ];
}

/** Claims a pod mounts that are missing or belong to another release, as problems. */
export function claimProblems(objects: ClusterObjects, pod: PodModel): string[] {
  const release = releaseOf(pod.labels);
  return referencedClaims(pod).flatMap((name) => {
    const claim = findObject(objects, "PersistentVolumeClaim", pod.namespace, name);
    if (!claim) {
      return [`mounts PersistentVolumeClaim ${pod.namespace}/${name}, which does not exist`];
    }
    const owner = releaseOfManifest(claim);
    return owner === release
      ? []
      : [`mounts PersistentVolumeClaim ${pod.namespace}/${name} of release ${releaseText(owner)}`];
  });
}

/**
 * Every pod that mounts a PersistentVolumeClaim (the standalone master's recovery state,
 * or volumes Spark adds to executors) mounts only its own release's claims: one release's
 * disk is never another's, also where the releases share a namespace.
 */
export function claimReferences(objects: ClusterObjects): CheckResult[] {
  return objects.pods
    .filter((pod) => referencedClaims(pod).length > 0)
    .map((pod) => {
      const problems = claimProblems(objects, pod);
      if (!releaseOf(pod.labels)) problems.unshift(`pod has no ${RELEASE_LABEL} label`);
      return row(
        "claim-references",
        pod.origin,
        problems,
        `own claims only: ${referencedClaims(pod).join(", ")}`,
      );
    });
}
