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

/** Whether a release authenticates its RPC with a shared secret (its standalone mode). */
export function authenticatesRpc(release: ReleaseConfig): boolean {
  return release.mode === "standalone";
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
