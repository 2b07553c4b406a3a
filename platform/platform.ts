import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as minio from "@pulumi/minio";
import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import { SparkBenchmark } from "../components/benchmark/sparkBenchmark";
import { HistoryServerPrefix } from "../components/history-server-prefix/historyServerPrefix";
import { IsolatedMetastore } from "../components/isolated-metastore/isolatedMetastore";
import { SparkRelease } from "../components/spark-release/sparkRelease";
import type { PlatformConfig } from "../lib/config/model";
import { deriveMetastorePassword } from "../lib/credentials/derivation";
import { S3Bucket, type S3Connection } from "../lib/backends/objectStore/dynamic";
import type { PgConnection } from "../lib/backends/postgres/dynamic";
import { namespaceManifests } from "../lib/kube/namespaces";
import { metastoreJdbcUrl } from "../lib/naming/endpoints";
import {
  platformOutputs,
  type MetastoreCredentials,
  type PlatformOutputs,
} from "../lib/contract/outputs";
import { registerManifest } from "../lib/kube/register";

/** Credentials from secret stack config. */
export interface PlatformSecrets {
  readonly postgresAdminPassword?: pulumi.Input<string>;
  readonly objectStoreAccessKey: pulumi.Input<string>;
  readonly objectStoreSecretKey: pulumi.Input<string>;
}

/** What the platform program exports, and the components for callers that compose further. */
export interface Platform {
  readonly outputs: PlatformOutputs;
  /** Per release: role, password, JDBC URL. Exported only as a secret. */
  readonly metastoreCredentials: pulumi.Output<Record<string, MetastoreCredentials>>;
  readonly releases: Readonly<
    Record<
      string,
      { spark?: SparkRelease; metastore?: IsolatedMetastore; history: HistoryServerPrefix }
    >
  >;
}

/**
 * Composes the stack: explicit providers (nothing falls back to ambient credentials),
 * the namespaces, the shared bucket, then per release its metastore, event-log prefix
 * and Spark. Call only with a configuration that `parsePlatformConfig` accepted:
 * validation happens before this registers its first resource.
 */
export function deployPlatform(config: PlatformConfig, secrets: PlatformSecrets): Platform {
  const kubernetes = new k8s.Provider("spark-platform-kubernetes", {
    ...(config.kubernetes.context ? { context: config.kubernetes.context } : {}),
    ...(config.kubernetes.kubeconfig ? { kubeconfig: config.kubernetes.kubeconfig } : {}),
    ...(config.kubernetes.renderYamlToDirectory
      ? { renderYamlToDirectory: config.kubernetes.renderYamlToDirectory }
      : {}),
  });
  const objectStore = objectStoreProvider(config, secrets);
  const needsPostgres = config.releases.some((r) => r.metastore.enabled);
  const postgres =
    needsPostgres && config.postgres.provider === "postgresql"
      ? new postgresql.Provider("spark-platform-postgresql", {
          host: config.postgres.admin.host,
          port: config.postgres.admin.port,
          username: config.postgres.adminUser,
          password: secrets.postgresAdminPassword,
          sslmode: config.postgres.sslmode,
          database: config.postgres.database,
          superuser: config.postgres.superuser,
          connectTimeout: 15,
        })
      : undefined;

  const namespaces = new Map<string, pulumi.Output<string>>();
  for (const manifest of namespaceManifests(config)) {
    const namespace = registerManifest(manifest, { provider: kubernetes }) as k8s.core.v1.Namespace;
    namespaces.set(manifest.metadata!.name!, namespace.metadata.name);
  }

  // Only the dynamic providers (lib/dynamic) carry their connection as inputs.
  const objectStoreConnection =
    config.objectStore.provider === "dynamic"
      ? objectStoreConnectionOf(config, secrets)
      : undefined;
  const bucket = sharedBucket(config, objectStore, objectStoreConnection);

  const credentials = {
    accessKey: secrets.objectStoreAccessKey,
    secretKey: secrets.objectStoreSecretKey,
  };
  const providers = {
    kubernetes,
    ...(objectStore ? { [config.objectStore.provider]: objectStore } : {}),
    ...(postgres ? { postgresql: postgres } : {}),
  };
  const adminConnection =
    config.postgres.provider === "dynamic" ? postgresConnectionOf(config, secrets) : undefined;
  const passwords: Record<string, pulumi.Output<MetastoreCredentials>> = {};
  const releases: Record<string, Platform["releases"][string]> = {};

  for (const release of config.releases) {
    const namespace = namespaces.get(release.namespace)!;
    const active = !release.decommissioned;
    const spark = active
      ? new SparkRelease(
          `${release.name}-spark`,
          { platform: config, release, namespace, objectStoreCredentials: credentials },
          { providers },
        )
      : undefined;
    const serviceAccount = spark?.objects[`ServiceAccount/${release.names.serviceAccount}`];

    let metastore: IsolatedMetastore | undefined;
    if (release.metastore.enabled) {
      const password = pulumi.secret(
        pulumi
          .output(secrets.postgresAdminPassword ?? "")
          .apply((admin) => deriveMetastorePassword(admin, release.name, release.metastore.role)),
      );
      metastore = new IsolatedMetastore(
        `${release.name}-metastore`,
        {
          platform: config,
          release,
          namespace,
          password,
          objectStoreCredentials: credentials,
          ...(serviceAccount ? { serviceAccount } : {}),
          workloads: active,
          ...(adminConnection ? { adminConnection } : {}),
        },
        { providers },
      );
      passwords[release.name] = pulumi.secret(
        password.apply((p) => ({
          username: release.metastore.role,
          password: p,
          jdbcUrl: metastoreJdbcUrl(config, release),
        })),
      );
    }
    const history = new HistoryServerPrefix(
      `${release.name}-history`,
      {
        platform: config,
        release,
        namespace,
        bucket,
        objectStoreCredentials: credentials,
        ...(serviceAccount ? { serviceAccount } : {}),
        workloads: active,
        ...(objectStoreConnection ? { objectStoreConnection } : {}),
      },
      { providers },
    );
    // --- version benchmark (components/benchmark): opt-in, active releases only ---
    if (config.benchmark.enabled && !release.decommissioned) {
      new SparkBenchmark(
        `${release.name}-benchmark`,
        {
          platform: config,
          release,
          namespace,
          after: [...(spark ? [spark] : []), ...(metastore ? [metastore] : []), history],
        },
        { providers },
      );
    }
    // --- end version benchmark ---
    releases[release.name] = {
      ...(spark ? { spark } : {}),
      ...(metastore ? { metastore } : {}),
      history,
    };
  }

  return {
    outputs: platformOutputs(config),
    metastoreCredentials: pulumi.secret(pulumi.all(passwords)),
    releases,
  };
}

/**
 * The provider for the shared object store. `aws` (default): @pulumi/aws pointed at MinIO.
 * `minio`: @pulumi/minio, for engines where the AWS provider plugin is unavailable.
 */
function objectStoreProvider(
  config: PlatformConfig,
  secrets: PlatformSecrets,
): pulumi.ProviderResource | undefined {
  const store = config.objectStore;
  if (store.provider === "dynamic") return undefined;
  if (store.provider === "minio") {
    return new minio.Provider("spark-platform-object-store", {
      minioServer: `${store.admin.host}:${store.admin.port}`,
      minioUser: secrets.objectStoreAccessKey,
      minioPassword: secrets.objectStoreSecretKey,
      minioRegion: store.region,
      minioSsl: store.admin.useSsl,
    });
  }
  return new aws.Provider("spark-platform-object-store", {
    region: store.region,
    accessKey: secrets.objectStoreAccessKey,
    secretKey: secrets.objectStoreSecretKey,
    endpoints: [{ s3: store.admin.endpoint }],
    // MinIO serves buckets by path; virtual-host style would resolve <bucket>.<host>.
    s3UsePathStyle: true,
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: true,
    skipRegionValidation: true,
  });
}

/**
 * The bucket every release's prefix lives in, created once per stack (or named, when it
 * exists already). Shared by every release's event logs: never deleted by a stack operation.
 */
function sharedBucket(
  config: PlatformConfig,
  provider: pulumi.ProviderResource | undefined,
  connection: pulumi.Input<S3Connection> | undefined,
): pulumi.Input<string> {
  const store = config.objectStore;
  if (!store.createBucket) return store.bucket;
  const opts = {
    ...(provider ? { provider } : {}),
    retainOnDelete: true,
    protect: config.protectData,
  };
  if (store.provider === "dynamic") {
    if (!connection)
      throw new Error("sharedBucket: a connection is required with objectStore.provider dynamic");
    return new S3Bucket("spark-platform-bucket", { connection, bucket: store.bucket }, opts).bucket;
  }
  if (store.provider === "minio") {
    return new minio.S3Bucket(
      "spark-platform-bucket",
      { bucket: store.bucket, forceDestroy: false },
      opts,
    ).bucket;
  }
  return new aws.s3.Bucket(
    "spark-platform-bucket",
    { bucket: store.bucket, forceDestroy: false },
    opts,
  ).bucket;
}

/** Connection of the dynamic object-store resources (a secret: it holds the keys). */
function objectStoreConnectionOf(
  config: PlatformConfig,
  secrets: PlatformSecrets,
): pulumi.Output<S3Connection> {
  const store = config.objectStore;
  return pulumi.secret(
    pulumi.all([secrets.objectStoreAccessKey, secrets.objectStoreSecretKey]).apply(
      ([accessKey, secretKey]): S3Connection => ({
        host: store.admin.host,
        port: store.admin.port,
        useSsl: store.admin.useSsl,
        region: store.region,
        accessKey,
        secretKey,
      }),
    ),
  );
}

/** Admin connection of the dynamic PostgreSQL resources (a secret: it holds the password). */
function postgresConnectionOf(
  config: PlatformConfig,
  secrets: PlatformSecrets,
): pulumi.Output<PgConnection> {
  return pulumi.secret(
    pulumi.output(secrets.postgresAdminPassword ?? "").apply(
      (password): PgConnection => ({
        host: config.postgres.admin.host,
        port: config.postgres.admin.port,
        user: config.postgres.adminUser,
        password,
        database: config.postgres.database,
        sslmode: config.postgres.sslmode,
      }),
    ),
  );
}
