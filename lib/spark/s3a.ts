import type { ObjectStoreConfig } from "../config/model";
import type { HadoopLine } from "./versions";

/**
 * Hadoop s3a settings for the shared MinIO, without credentials: keys reach the JVM as
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from a Secret, read by the environment-variable
 * credential provider of `hadoop`, the Hadoop line of the process that reads the settings
 * (Spark's bundled Hadoop, or the Hive image's). Returned without the `spark.hadoop.`
 * prefix so Hive (hive-site.xml) and Spark (spark-defaults.conf) share one source.
 * `fs.s3a.endpoint.region` is needed by Hadoop 3.4 (SDK v2 refuses a client without a
 * region) and understood by 3.3.
 */
export function s3aSettings(
  objectStore: ObjectStoreConfig,
  hadoop: HadoopLine,
): Record<string, string> {
  return {
    "fs.s3a.endpoint": objectStore.endpoint,
    "fs.s3a.endpoint.region": objectStore.region,
    "fs.s3a.path.style.access": "true",
    "fs.s3a.connection.ssl.enabled": String(objectStore.useSsl),
    "fs.s3a.aws.credentials.provider": hadoop.envCredentialsProvider,
    "fs.s3a.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
  };
}

/** Environment variable names the credential provider reads, and the Secret keys behind them. */
export const OBJECT_STORE_ENV = {
  accessKey: { env: "AWS_ACCESS_KEY_ID", secretKey: "access-key" },
  secretKey: { env: "AWS_SECRET_ACCESS_KEY", secretKey: "secret-key" },
} as const;
