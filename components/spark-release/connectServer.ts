import type { ReleaseConfig } from "../../lib/config/model";
import { EXECUTOR_RUN_ID_LENGTH, executorPodNamePrefix } from "../../lib/naming/names";
import { orphanExecutorCleanup } from "./orphanExecutors";

/** Env the Connect server container needs from the downward API (see connectServerScript). */
export const CONNECT_POD_ENV = {
  name: "POD_NAME",
  ip: "POD_IP",
  uid: "POD_UID",
} as const;

/**
 * Start-up of the Connect server: settings only known once the pod runs go on the
 * command line (spark-defaults is a static ConfigMap), then `exec spark-submit`.
 *
 * - `spark.driver.host` is the pod IP. Executors dial it as soon as they start; a
 *   headless Service name would resolve only once the pod is Ready, which needs the gRPC
 *   port, bound after the SparkContext has already requested executors. The IP is fixed
 *   for the pod's life, and executors (owned by the pod) never outlive it; NetworkPolicies
 *   select pods, not names, so nothing else changes.
 * - `spark.kubernetes.executor.podNamePrefix` is `<release>-<run id>`, the run id the
 *   first hex characters of sha256(pod uid, start time in ns): unique per container start,
 *   so a restarted server never meets executor pods of its previous run under the same
 *   name, and Spark's `-exec-<n>` makes `<release>-<run id>-exec-<n>`.
 * - `spark.kubernetes.driver.pod.name`: executors get an ownerReference to this pod.
 * - Before that, executor pods an earlier run of this container left behind are deleted
 *   (./orphanExecutors.ts): a container restarted in place keeps its pod, and so them.
 *
 * `SPARK_SUBMIT` may point elsewhere (tests); the image's entrypoint execs these args.
 */
export function connectServerScript(release: ReleaseConfig): string {
  const { name, ip, uid } = CONNECT_POD_ENV;
  return [
    "set -eu",
    ...orphanExecutorCleanup(release, uid),
    `run="$(printf "%s" "\${${uid}}-$(date +%s%N)" | sha256sum | cut -c1-${EXECUTOR_RUN_ID_LENGTH})"`,
    'exec "${SPARK_SUBMIT:-/opt/spark/bin/spark-submit}" \\',
    "  --class org.apache.spark.sql.connect.service.SparkConnectServer \\",
    `  --name ${release.names.connect} \\`,
    `  --conf "spark.kubernetes.driver.pod.name=\${${name}}" \\`,
    `  --conf "spark.driver.host=\${${ip}}" \\`,
    `  --conf "spark.kubernetes.executor.podNamePrefix=${executorPodNamePrefix(release.name, "${run}")}"`,
  ].join("\n");
}
