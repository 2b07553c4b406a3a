import type { ObjectStoreConfig } from "../config/model";
import type { HadoopLine } from "./versions";

/**
 * Hadoop s3a settings for the shared MinIO, without credentials. The platform's pods read
 * their keys from a shared-credentials file mounted from a Secret (OBJECT_STORE_PROFILE_FILE),
 * through the profile provider of `hadoop`, the Hadoop line of the process that reads the
 * settings (Spark's bundled Hadoop, or the Hive image's). s3a tries the providers in order
 * and takes the first that yields keys. The environment-variable provider comes first, for
 * drivers that bring their keys as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (clients' own
 * pods, the jar probes): without the variables it fails with the SDK's client exception,
 * which s3a's provider list passes over, while SDK v1's profile provider without a file
 * throws IllegalArgumentException, which would end the list. Returned without the `spark.hadoop.` prefix
 * so Hive (hive-site.xml) and Spark (spark-defaults.conf) share one source.
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
    "fs.s3a.aws.credentials.provider": [
      hadoop.envCredentialsProvider,
      hadoop.profileCredentialsProvider,
    ].join(","),
    "fs.s3a.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
  };
}

/** Environment variable names the credential provider reads, and the Secret keys behind them. */
export const OBJECT_STORE_ENV = {
  accessKey: { env: "AWS_ACCESS_KEY_ID", secretKey: "access-key" },
  secretKey: { env: "AWS_SECRET_ACCESS_KEY", secretKey: "secret-key" },
} as const;

/**
 * The shared-credentials file in an object-store Secret (key `profileKey`) and where pods
 * mount it: `${dir}/${profileKey}`.
 */
export const OBJECT_STORE_PROFILE_FILE = {
  profileKey: "aws-credentials",
  dir: "/etc/spark-platform/object-store",
} as const;

/** The mounted file's path, which the SDK's variable (HadoopLine.profileFileEnv) names. */
export const OBJECT_STORE_PROFILE_PATH = `${OBJECT_STORE_PROFILE_FILE.dir}/${OBJECT_STORE_PROFILE_FILE.profileKey}`;

/**
 * A shared-credentials file with the keys as the `default` profile, in the format both
 * SDK lines read (`key = value` lines under `[default]`). A key with a line break or any
 * blank would be read as another key or cut short (SDK v2 drops a value's tail after a
 * blank and `#` or `;`, as a comment), so it is refused; real keys hold none.
 */
export function awsCredentialsFile(accessKey: string, secretKey: string): string {
  for (const [name, value] of [
    ["objectStoreAccessKey", accessKey],
    ["objectStoreSecretKey", secretKey],
  ] as const) {
    if (value === "" || /\s/.test(value)) {
      throw new Error(
        `${name}: the object-store key is empty or holds a blank or line break, so no credentials file can carry it`,
      );
    }
  }
  return `[default]\naws_access_key_id = ${accessKey}\naws_secret_access_key = ${secretKey}\n`;
}
