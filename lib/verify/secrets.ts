import type { PodModel } from "../kube/analysis/pods";
import { RELEASE_LABEL } from "../kube/objects";
import {
  findObject,
  isMetastorePod,
  referencedSecrets,
  releaseOf,
  releaseOfManifest,
  type ClusterObjects,
} from "./objects";
import { releaseText, row, type CheckResult } from "./result";

/** Secrets a pod references that are missing or belong to another release, as problems. */
export function secretProblems(objects: ClusterObjects, pod: PodModel): string[] {
  const release = releaseOf(pod.labels);
  return referencedSecrets(pod).flatMap((name) => {
    const secret = findObject(objects, "Secret", pod.namespace, name);
    if (!secret) return [`references Secret ${pod.namespace}/${name}, which does not exist`];
    const owner = releaseOfManifest(secret);
    return owner === release
      ? []
      : [`references Secret ${pod.namespace}/${name} of release ${releaseText(owner)}`];
  });
}

/** Every pod that is not a metastore pod references only its own release's Secrets. */
export function secretReferences(objects: ClusterObjects): CheckResult[] {
  return objects.pods
    .filter((pod) => !isMetastorePod(objects, pod))
    .map((pod) => {
      const problems = secretProblems(objects, pod);
      if (!releaseOf(pod.labels)) problems.unshift(`pod has no ${RELEASE_LABEL} label`);
      const secrets = referencedSecrets(pod);
      return row(
        "secret-references",
        pod.origin,
        problems,
        secrets.length ? `own Secrets only: ${secrets.join(", ")}` : "references no Secret",
      );
    });
}
