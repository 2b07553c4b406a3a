import type { PodModel } from "../kube/analysis/pods";
import {
  AUTH_SECRET_ENV,
  AUTH_SECRET_PROPERTY,
  RPC_SECURITY_PROPERTIES,
} from "../spark/authentication";
import {
  componentOf,
  containersOf,
  releaseMode,
  releaseOf,
  releaseSparkConf,
  releasesIn,
  startupStrings,
  type ClusterObjects,
} from "./objects";
import { row, type CheckResult } from "./result";

/** Why each RPC setting matters, for the failure message. */
const CONSEQUENCES: Readonly<Record<string, string>> = {
  "spark.authenticate": "any pod the NetworkPolicies admit registers with the master unasked",
  "spark.network.crypto.enabled": "RPC and block transfers travel in plain text",
  "spark.network.crypto.saslFallback":
    "a peer may fall back to SASL, which authenticates but leaves the channel in plain text",
  "spark.io.encryption.enabled": "shuffle and spill files lie unencrypted on the workers' disks",
};

/** Whether a daemon container takes `_SPARK_AUTH_SECRET` from a Secret (never a literal). */
function daemonSecretProblems(pod: PodModel): string[] {
  const env = containersOf(pod).flatMap((c) => c.env ?? []);
  const secret = env.find((e) => e.name === AUTH_SECRET_ENV);
  if (!secret) return [`${pod.origin} has no ${AUTH_SECRET_ENV}: it cannot authenticate`];
  if (!secret.valueFrom?.secretKeyRef?.name) {
    return [`${pod.origin} sets ${AUTH_SECRET_ENV} other than from a Secret`];
  }
  return [];
}

/**
 * Every standalone release authenticates its RPC with a shared secret and encrypts it:
 * its spark-defaults set `spark.authenticate`, AES-based RPC encryption without a SASL
 * fallback and local-file encryption (lib/spark/authentication.ts); its masters and
 * workers take the secret from a Secret; and the secret is on no command line and in no
 * ConfigMap. Connect releases are not standalone and get no row.
 */
export function rpcAuthentication(objects: ClusterObjects): CheckResult[] {
  return releasesIn(objects)
    .filter((release) => releaseMode(objects, release) === "standalone")
    .map((release) => {
      const conf = releaseSparkConf(objects, release);
      const problems: string[] = [];
      for (const [key, wanted] of Object.entries(RPC_SECURITY_PROPERTIES)) {
        if (conf[key] !== wanted) {
          problems.push(
            `${key} is ${conf[key] ?? "unset"}, not ${wanted}: ${CONSEQUENCES[key] ?? ""}`.trim(),
          );
        }
      }
      if (conf[AUTH_SECRET_PROPERTY] !== undefined) {
        problems.push(`${AUTH_SECRET_PROPERTY} is in a ConfigMap`);
      }
      const pods = objects.pods.filter((p) => releaseOf(p.labels) === release);
      const daemons = pods.filter((p) => ["master", "worker"].includes(componentOf(p) ?? ""));
      if (daemons.length === 0) problems.push("no master or worker pod found");
      for (const pod of daemons) problems.push(...daemonSecretProblems(pod));
      for (const pod of pods) {
        if (startupStrings(pod).some((text) => text.includes(AUTH_SECRET_PROPERTY))) {
          problems.push(`${pod.origin} names ${AUTH_SECRET_PROPERTY} on its command line or env`);
        }
      }
      return row(
        "rpc-authentication",
        `release ${release}`,
        problems,
        `authenticated, AES-encrypted RPC (no SASL fallback), encrypted local files; ${daemons.length} daemon(s) take ${AUTH_SECRET_ENV} from a Secret`,
      );
    });
}
