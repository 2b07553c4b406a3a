/**
 * What each supported Spark line needs: image tags, the Hive Metastore it is
 * compatible with, and the Hadoop it bundles. s3a settings follow the Hadoop of the
 * process that reads them (HadoopLine), which for a metastore is the Hive image's own.
 * Sources: apache/spark-docker versions.json, Spark's Hive client docs,
 * HIVE-26537 (HMS >= 4.0.1 dropped `get_table`, which Spark 4.1's built-in client calls).
 */

export type SparkMode = "standalone" | "connect";

export interface SparkLine {
  /** `major.minor` of the line, e.g. "3.5". */
  readonly line: string;
  /** Scala build used in the default image tag. */
  readonly scala: string;
  /** Java used in the default image tag (pinned: short tags pick a Java for you). */
  readonly java: string;
  /** Modes this line supports without downloading anything at start-up. */
  readonly modes: readonly SparkMode[];
  /** Hive Metastore version that speaks the Thrift API of this line's built-in Hive client. */
  readonly hiveMetastoreVersion: string;
  /** Hadoop version bundled with Spark; hadoop-aws in a derived image must match it. */
  readonly hadoopVersion: string;
  /** AWS SDK bundle that matches `hadoop-aws` of this Hadoop version. */
  readonly awsSdkBundle: string;
  /**
   * The smallest `spark.eventLog.rolling.maxFileSize` this line accepts, in MiB: Spark
   * refuses a smaller one at start (10 MiB since 3.0, 2 MiB from 4.1.0 on, SPARK-52456).
   */
  readonly eventLogRollingMinMiB: number;
}

export const SPARK_LINES: Readonly<Record<string, SparkLine>> = {
  "3.5": {
    line: "3.5",
    scala: "2.12",
    java: "17",
    // Spark Connect on 3.5 is a separate artifact fetched with --packages at start-up,
    // which air-gapped clusters cannot do: 3.5 releases run standalone.
    modes: ["standalone"],
    hiveMetastoreVersion: "3.1.3",
    hadoopVersion: "3.3.4",
    awsSdkBundle: "com.amazonaws:aws-java-sdk-bundle:1.12.262",
    eventLogRollingMinMiB: 10,
  },
  "4.1": {
    line: "4.1",
    scala: "2.13",
    java: "21",
    modes: ["connect", "standalone"],
    hiveMetastoreVersion: "4.0.0",
    hadoopVersion: "3.4.2",
    awsSdkBundle: "software.amazon.awssdk:bundle:2.29.52",
    eventLogRollingMinMiB: 2,
  },
};

/**
 * What s3a needs from a Hadoop line. Hadoop 3.3 links AWS SDK v1, 3.4 links SDK v2, and a
 * credential provider class of the other SDK is not on the classpath: the class must
 * follow the Hadoop of the process that reads the setting, not the release's Spark line.
 */
export interface HadoopLine {
  /** `major.minor`, e.g. "3.3". */
  readonly line: string;
  /** s3a credential provider reading AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (this line's SDK). */
  readonly envCredentialsProvider: string;
  /** s3a credential provider reading the `default` profile of a shared-credentials file (this line's SDK). */
  readonly profileCredentialsProvider: string;
  /** Variable naming that file: SDK v1 and v2 read different ones. A path, not a secret. */
  readonly profileFileEnv: string;
}

export const HADOOP_LINES: Readonly<Record<string, HadoopLine>> = {
  "3.3": {
    line: "3.3",
    envCredentialsProvider: "com.amazonaws.auth.EnvironmentVariableCredentialsProvider",
    profileCredentialsProvider: "com.amazonaws.auth.profile.ProfileCredentialsProvider",
    profileFileEnv: "AWS_CREDENTIAL_PROFILES_FILE",
  },
  "3.4": {
    line: "3.4",
    envCredentialsProvider:
      "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider",
    profileCredentialsProvider:
      "software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider",
    profileFileEnv: "AWS_SHARED_CREDENTIALS_FILE",
  },
};

/** The Hadoop line of a Hadoop version ("3.3.6" -> 3.3); throws on a line s3a is not set up for. */
export function hadoopLineOf(version: string): HadoopLine {
  const line = HADOOP_LINES[version.split(".").slice(0, 2).join(".")];
  if (!line) throw new Error(`no s3a settings for Hadoop ${version}`);
  return line;
}

/**
 * Hadoop inside the apache/hive images (`/opt/hadoop`, the packaging's `hadoop.version`):
 * 3.3.x for both, so a metastore reads s3a settings with SDK v1 classes even where its
 * Spark release (4.1, Hadoop 3.4.2) uses SDK v2.
 */
export const HIVE_IMAGE_HADOOP: Readonly<Record<string, string>> = {
  "3.1.3": "3.3",
  "4.0.0": "3.3.6",
};

/** Hadoop of the metastore process for a Hive version. */
export function hiveHadoopLine(hiveVersion: string): HadoopLine {
  const hadoop = HIVE_IMAGE_HADOOP[hiveVersion];
  if (!hadoop) throw new Error(`unknown Hadoop of the apache/hive:${hiveVersion} image`);
  return hadoopLineOf(hadoop);
}

const VERSION_PATTERN = /^(\d+)\.(\d+)\.(\d+)$/;

/** The supported line of a full Spark version ("3.5.7" -> 3.5 line), or undefined. */
export function sparkLineOf(version: string): SparkLine | undefined {
  const match = VERSION_PATTERN.exec(version);
  if (!match) return undefined;
  return SPARK_LINES[`${match[1]}.${match[2]}`];
}

/** Human-readable list of supported lines for error messages. */
export function supportedVersionsText(): string {
  return Object.values(SPARK_LINES)
    .map((l) => `${l.line}.x (${l.modes.join(", ")})`)
    .join("; ");
}

/**
 * Default image of a Connect release's TLS terminator (`connect.tlsImage`): the one
 * `npm run cluster` builds from images/connect-tls for the local stacks. Other clusters
 * build it from that source and name their registry's reference (docs/hardening.md).
 */
export const DEFAULT_CONNECT_TLS_IMAGE = "localhost/spark-platform/connect-tls:v1";

/** Default Spark image: full tag, so the Java version is pinned, not chosen by Docker Hub. */
export function defaultSparkImage(version: string): string {
  const line = sparkLineOf(version);
  if (!line) throw new Error(`unsupported Spark version ${version}`);
  return `apache/spark:${version}-scala${line.scala}-java${line.java}-python3-ubuntu`;
}

/** Default Hive Metastore image for a Spark version (version-matched, see SparkLine). */
export function defaultHiveMetastoreImage(version: string): string {
  const line = sparkLineOf(version);
  if (!line) throw new Error(`unsupported Spark version ${version}`);
  return `apache/hive:${line.hiveMetastoreVersion}`;
}

/** Spark runs as uid/gid 185 in the apache/spark images. */
export const SPARK_UID = 185;
/** Hive runs as uid/gid 1000 in the apache/hive images. */
export const HIVE_UID = 1000;

/** Orders dotted versions numerically (3.5.7 before 4.1.0, 3.10 after 3.9). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
