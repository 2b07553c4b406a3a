import type { ReleaseConfig } from "../config/model";
import { renderSparkProperties } from "../kube/objects";

/**
 * Authentication and encryption of a standalone release's RPC (Spark 3.5 and later).
 *
 * Every process of the release shares one secret: the master, the workers, the executors
 * the workers launch, and every driver (client pods, the master's pod, the benchmark).
 * Spark offers three ways to hand it to a standalone process, and this is why each is
 * used where it is (org.apache.spark.SecurityManager, Spark 3.5.7):
 * - `spark.authenticate.secret.file` (and `.driver.file` / `.executor.file`) is read only
 *   when `spark.master` is `k8s://`; with `spark://` Spark refuses it ("Secret keys
 *   provided via files is only allowed in Kubernetes mode.").
 * - The environment variable `_SPARK_AUTH_SECRET` is what a daemon reads first, and what a
 *   worker sets for each executor it launches: the master and workers get it from the
 *   release's Secret (`secretKeyRef`, never a literal).
 * - A driver refuses to start on `spark://` unless its SparkConf holds
 *   `spark.authenticate.secret` ("A secret key must be specified via the
 *   spark.authenticate.secret config."): drivers read it from a properties file mounted
 *   from a Secret, never from their command line. The driver leaves it out of the
 *   executors' command lines (SparkConf.isExecutorStartupConf) and Spark redacts it in
 *   the UI and event logs (spark.redaction.regex).
 */

/** The variable a standalone daemon reads its secret from, and hands to its executors. */
export const AUTH_SECRET_ENV = "_SPARK_AUTH_SECRET";
/** The property a driver on `spark://` must hold. */
export const AUTH_SECRET_PROPERTY = "spark.authenticate.secret";

/** Keys of the release's authentication Secret and of its client Secrets. */
export const SPARK_AUTH_KEYS = {
  /** The secret itself (release Secret: the daemons' `_SPARK_AUTH_SECRET`). */
  secret: "secret",
  /** The release's spark-defaults plus the secret: a driver's whole configuration. */
  driverDefaults: "spark-defaults.conf",
  /** Only the authentication and encryption properties, the secret among them. */
  properties: "spark-auth.properties",
} as const;

/** Where the master's pod mounts the driver configuration (`SPARK_CONF_DIR` of in-pod drivers). */
export const DRIVER_CONF_DIR = "/opt/spark/conf-driver";

/**
 * RPC settings of every standalone release's spark-defaults (no secret: a ConfigMap).
 * - `spark.authenticate`: no process without the release's secret registers with the
 *   master, joins as a worker or executor, or is accepted by a driver.
 * - `spark.network.crypto.enabled`: AES-based authentication and encryption of every RPC
 *   and block transfer.
 * - `spark.network.crypto.saslFallback=false`: no fallback to SASL, which would
 *   authenticate but leave the channel in plain text; every process of a release runs the
 *   same Spark, so none needs it.
 * - `spark.io.encryption.enabled`: shuffle and spill files on the workers' local dirs
 *   encrypted (a key per application, from the driver).
 */
export const RPC_SECURITY_PROPERTIES: Readonly<Record<string, string>> = {
  "spark.authenticate": "true",
  "spark.network.crypto.enabled": "true",
  "spark.network.crypto.saslFallback": "false",
  "spark.io.encryption.enabled": "true",
};

/**
 * Whether a release's clients join its RPC with the shared secret: standalone, where a
 * client runs the driver. A Connect client talks gRPC to the server (its token, over TLS)
 * and never joins the RPC; its server and executors share the secret among themselves.
 */
export function authenticatesRpc(release: ReleaseConfig): boolean {
  return release.mode === "standalone";
}

/**
 * Authentication and encryption of a Connect release's RPC: between the server (the
 * driver) and its executor pods (Spark 4.1 on Kubernetes).
 *
 * With `spark.authenticate` and no secret given, Spark on Kubernetes makes one per
 * application and hands it to each executor as a literal environment variable in the pod
 * spec (BasicExecutorFeatureStep), readable by anyone who may read pods. Given
 * `spark.authenticate.secret.file` instead, the driver and the executors each read the
 * file (Kubernetes mode only), and no pod spec carries the secret: the server's pod and
 * the executors' pod template mount the release's authentication Secret there.
 *
 * An executor fetches the driver's configuration over an authenticated connection, so
 * it needs the secret before it has the driver's conf: its bootstrap SparkConf holds only
 * the startup properties (`spark.auth*`, `spark.network.*`, ports) and its JVM's system
 * properties, and Spark reads a secret file only when `spark.master` is `k8s://`. The
 * executor template sets `spark.master` as a JVM system property (JAVA_TOOL_OPTIONS:
 * Spark refuses `-Dspark.*` in `spark.executor.extraJavaOptions`). It is the master the
 * server already runs with; nothing secret.
 */
export const RPC_SECRET_FILE_PROPERTY = "spark.authenticate.secret.file";
/** Where a Connect release's server and executors mount the secret (key `secret`). */
export const RPC_SECRET_DIR = "/opt/spark/rpc-auth";

/** Whether a release's server and executors read the RPC secret from a file (Connect). */
export function readsRpcSecretFile(release: ReleaseConfig): boolean {
  return release.mode === "connect";
}

/** The RPC settings of a Connect release's spark-defaults: the shared ones and the file. */
export function connectRpcSecurityProperties(): Readonly<Record<string, string>> {
  return {
    ...RPC_SECURITY_PROPERTIES,
    [RPC_SECRET_FILE_PROPERTY]: `${RPC_SECRET_DIR}/${SPARK_AUTH_KEYS.secret}`,
  };
}

/** `JAVA_TOOL_OPTIONS` of an executor reading the secret file: the master, and nothing else. */
export function executorBootstrapJavaOptions(master: string): string {
  if (/\s/.test(master)) throw new Error(`spark.master must not contain spaces: ${master}`);
  return `-Dspark.master=${master}`;
}

/** `spark-defaults.conf` of a driver: the release's spark-defaults (`defaults`) plus the secret. */
export function driverSparkDefaults(
  defaults: Readonly<Record<string, string>>,
  secret: string,
): string {
  return renderSparkProperties({ ...defaults, [AUTH_SECRET_PROPERTY]: secret });
}

/**
 * `spark-auth.properties`: what a client that brings its own configuration adds to it
 * (Spark 4's `spark-submit --load-spark-defaults --properties-file`, or appended to its
 * own spark-defaults.conf; Spark 3.5's `--properties-file` replaces spark-defaults.conf).
 */
export function clientAuthProperties(secret: string): string {
  return renderSparkProperties({ ...RPC_SECURITY_PROPERTIES, [AUTH_SECRET_PROPERTY]: secret });
}
