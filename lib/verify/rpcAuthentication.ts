import type { PodModel } from "../kube/analysis/pods";
import {
  AUTH_SECRET_ENV,
  AUTH_SECRET_PROPERTY,
  RPC_SECRET_FILE_PROPERTY,
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

/** Where a pod mounts a Secret volume (`path` → Secret name), over all its containers. */
function secretMounts(pod: PodModel): Map<string, string> {
  const secretOf = new Map(
    (pod.spec.volumes ?? [])
      .filter((v) => v.secret?.secretName)
      .map((v) => [v.name, v.secret!.secretName!] as const),
  );
  const mounts = new Map<string, string>();
  for (const c of containersOf(pod)) {
    for (const m of c.volumeMounts ?? []) {
      const secret = secretOf.get(m.name);
      if (secret) mounts.set(m.mountPath.replace(/\/+$/, ""), secret);
    }
  }
  return mounts;
}

/**
 * A Connect server or executor pod reads the secret file from a Secret volume, and no
 * container carries the secret as a literal `_SPARK_AUTH_SECRET` (what Spark on
 * Kubernetes writes into executor pod specs when no file is given).
 */
function secretFileProblems(pod: PodModel, file: string | undefined): string[] {
  const problems: string[] = [];
  if (file !== undefined) {
    const dir = file.replace(/\/[^/]*$/, "");
    if (!secretMounts(pod).has(dir)) {
      problems.push(`${pod.origin} mounts no Secret at ${dir}: it cannot read ${file}`);
    }
  }
  const env = containersOf(pod).flatMap((c) => c.env ?? []);
  if (env.some((e) => e.name === AUTH_SECRET_ENV && e.value !== undefined)) {
    problems.push(`${pod.origin} carries ${AUTH_SECRET_ENV} as a literal in its spec`);
  }
  return problems;
}

/** The RPC settings every release's spark-defaults must hold, and no secret. */
function confProblems(conf: Readonly<Record<string, string>>): string[] {
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
  return problems;
}

/**
 * Every release authenticates its RPC with its own secret and encrypts it: its
 * spark-defaults set `spark.authenticate`, AES-based RPC encryption without a SASL
 * fallback and local-file encryption (lib/spark/authentication.ts), and the secret is on
 * no command line and in no ConfigMap. Standalone: its masters and workers take the
 * secret from a Secret. Connect: the server and its executors (their template, and live
 * executor pods) read it from a file in a Secret volume (`spark.authenticate.secret.file`),
 * and no pod spec carries it.
 */
export function rpcAuthentication(objects: ClusterObjects): CheckResult[] {
  return releasesIn(objects).flatMap((release) => {
    const mode = releaseMode(objects, release);
    if (mode !== "standalone" && mode !== "connect") return [];
    const conf = releaseSparkConf(objects, release);
    const problems = confProblems(conf);
    const pods = objects.pods.filter((p) => releaseOf(p.labels) === release);
    let detail: string;
    if (mode === "standalone") {
      const daemons = pods.filter((p) => ["master", "worker"].includes(componentOf(p) ?? ""));
      if (daemons.length === 0) problems.push("no master or worker pod found");
      for (const pod of daemons) problems.push(...daemonSecretProblems(pod));
      detail = `${daemons.length} daemon(s) take ${AUTH_SECRET_ENV} from a Secret`;
    } else {
      const file = conf[RPC_SECRET_FILE_PROPERTY];
      if (file === undefined || !file.startsWith("/")) {
        problems.push(
          `${RPC_SECRET_FILE_PROPERTY} is ${file ?? "unset"}: Spark would put a generated secret in each executor pod's spec`,
        );
      }
      const holders = pods.filter((p) => ["connect", "executor"].includes(componentOf(p) ?? ""));
      if (!holders.some((p) => componentOf(p) === "connect")) {
        problems.push("no Connect server pod found");
      }
      if (!holders.some((p) => componentOf(p) === "executor")) {
        problems.push("no executor pod template found");
      }
      for (const pod of holders) problems.push(...secretFileProblems(pod, file));
      detail = `the server and ${holders.length - 1} executor template(s) or pod(s) read ${file ?? "no file"} from a Secret`;
    }
    // The property itself, not `spark.authenticate.secret.file` (a path, no secret).
    const secretProperty = new RegExp(`${AUTH_SECRET_PROPERTY.replace(/\./g, "\\.")}(?![.\\w])`);
    for (const pod of pods) {
      if (startupStrings(pod).some((text) => secretProperty.test(text))) {
        problems.push(`${pod.origin} names ${AUTH_SECRET_PROPERTY} on its command line or env`);
      }
    }
    return [
      row(
        "rpc-authentication",
        `release ${release}`,
        problems,
        `authenticated, AES-encrypted RPC (no SASL fallback), encrypted local files; ${detail}`,
      ),
    ];
  });
}
