import type { PodModel } from "../kube/analysis/pods";
import { AUTH_SECRET_ENV } from "../spark/authentication";
import { componentOf, containersOf, type ClusterObjects } from "./objects";
import { row, type CheckResult } from "./result";

/**
 * The one Secret a platform container may still take as env: a standalone daemon reads
 * its RPC secret from this variable or its conf only (docs/hardening.md, "Credentials as
 * files"). Its executors inherit it inside the worker's pod.
 */
function allowedSecretEnv(pod: PodModel, name: string): boolean {
  const component = componentOf(pod);
  return name === AUTH_SECRET_ENV && (component === "master" || component === "worker");
}

/** Env from Secrets a pod's containers take that the platform reads from files instead. */
export function secretEnvProblems(pod: PodModel): string[] {
  return containersOf(pod).flatMap((container) => [
    ...(container.env ?? [])
      .filter((e) => e.valueFrom?.secretKeyRef && !allowedSecretEnv(pod, e.name))
      .map(
        (e) =>
          `container ${container.name} takes ${e.name} from Secret ${e.valueFrom!.secretKeyRef!.name} as env; mount the key as a file`,
      ),
    ...(container.envFrom ?? [])
      .filter((from) => from.secretRef)
      .map(
        (from) =>
          `container ${container.name} takes all of Secret ${from.secretRef!.name} as env (envFrom)`,
      ),
  ]);
}

/** Every platform pod reads its credentials from Secret files, but for the allowed variable. */
export function secretsAsFiles(objects: ClusterObjects): CheckResult[] {
  return objects.pods.map((pod) => {
    const kept = containersOf(pod).flatMap((c) =>
      (c.env ?? []).filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.name),
    );
    return row(
      "secrets-as-files",
      pod.origin,
      secretEnvProblems(pod),
      kept.length ? `files, and ${kept.join(", ")} as env (read no other way)` : "files only",
    );
  });
}
