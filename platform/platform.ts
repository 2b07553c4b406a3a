import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { SparkBenchmark } from "../components/benchmark/sparkBenchmark";
import { HistoryServerPrefix } from "../components/history-server-prefix/historyServerPrefix";
import { Notebook } from "../components/notebook/notebook";
import { IsolatedMetastore } from "../components/isolated-metastore/isolatedMetastore";
import { SparkRelease } from "../components/spark-release/sparkRelease";
import type { PlatformConfig } from "../lib/config/model";
import {
  deriveConnectToken,
  deriveMetastorePassword,
  deriveNotebookToken,
  deriveSparkAuthSecret,
} from "../lib/credentials/derivation";
import { connectCertificateSpec } from "../lib/credentials/connectCertificates";
import { authenticatesConnect } from "../lib/spark/connectAuthentication";
import { ConnectCertificates } from "./connectCertificates";
import type { ObjectStoreBackend } from "../lib/backends/objectStore/backend";
import { objectStoreBackend } from "../lib/backends/objectStore/configured";
import { postgresBackend } from "../lib/backends/postgres/configured";
import { useCredentialsDigestKey } from "../lib/credentials/rollout";
import { CredentialsDigestKey } from "./digestKey";
import { SparkAuthenticationKey } from "./sparkAuthKey";
import { authenticatesRpc } from "../lib/spark/authentication";
import { clientNamespaceManifests, namespaceManifests } from "../lib/kube/namespaces";
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
      {
        spark?: SparkRelease;
        metastore?: IsolatedMetastore;
        history: HistoryServerPrefix;
        benchmark?: SparkBenchmark;
      }
    >
  >;
  /** The notebooks (`notebooks[]`), by `<namespace>/<name>`. */
  readonly notebooks: Readonly<Record<string, Notebook>>;
}

/**
 * Composes the stack: explicit providers (nothing falls back to ambient credentials),
 * the namespaces, the shared bucket, then per release its metastore, event-log prefix
 * and Spark. Call only with a configuration that `parsePlatformConfig` accepted:
 * validation happens before this registers its first resource.
 */
export function deployPlatform(config: PlatformConfig, secrets: PlatformSecrets): Platform {
  // Keys the credential digests on every pod template (platform/digestKey.ts).
  useCredentialsDigestKey(new CredentialsDigestKey("spark-platform-credentials-digest-key").key);
  const kubernetes = new k8s.Provider("spark-platform-kubernetes", {
    ...(config.kubernetes.context ? { context: config.kubernetes.context } : {}),
    ...(config.kubernetes.kubeconfig ? { kubeconfig: config.kubernetes.kubeconfig } : {}),
    ...(config.kubernetes.renderYamlToDirectory
      ? { renderYamlToDirectory: config.kubernetes.renderYamlToDirectory }
      : {}),
  });
  const credentials = {
    accessKey: secrets.objectStoreAccessKey,
    secretKey: secrets.objectStoreSecretKey,
  };
  // Each backend registers its provider (none for dynamic) and loads only its own package.
  const objectStore = objectStoreBackend(config.objectStore, credentials);
  const needsPostgres = config.releases.some((r) => r.metastore.enabled);
  const postgres = needsPostgres
    ? postgresBackend(config.postgres, secrets.postgresAdminPassword)
    : undefined;

  const namespaces = new Map<string, pulumi.Output<string>>();
  for (const manifest of namespaceManifests(config)) {
    const namespace = registerManifest(manifest, { provider: kubernetes });
    namespaces.set(manifest.metadata!.name!, namespace.metadata.name);
  }
  // Client namespaces the platform creates for teams outlive any grant and the stack.
  const clientNamespaces = new Map<string, pulumi.Output<string>>();
  for (const manifest of clientNamespaceManifests(config)) {
    const namespace = registerManifest(manifest, { provider: kubernetes, retainOnDelete: true });
    clientNamespaces.set(manifest.metadata!.name!, namespace.metadata.name);
  }
  // Standalone releases' authentication secrets and Connect releases' tokens derive from
  // one stack key (platform/sparkAuthKey.ts), kept while any such release is configured:
  // a decommissioned release brought back (a rollback) gets the secret it had.
  const sparkAuthKey = config.releases.some(
    (release) => authenticatesRpc(release) || authenticatesConnect(release),
  )
    ? new SparkAuthenticationKey("spark-platform-spark-authentication-key").key
    : undefined;
  const bucket = sharedBucket(config, objectStore);

  const providers = { kubernetes, ...objectStore.providers, ...postgres?.providers };
  const passwords: Record<string, pulumi.Output<MetastoreCredentials>> = {};
  const releases: Record<string, Platform["releases"][string]> = {};

  for (const release of config.releases) {
    const namespace = namespaces.get(release.namespace)!;
    const active = !release.decommissioned;
    // Every release's RPC is authenticated: standalone daemons and drivers, the Connect
    // server and its executors (lib/spark/authentication.ts).
    const authSecret =
      active && sparkAuthKey && (authenticatesRpc(release) || authenticatesConnect(release))
        ? pulumi.secret(sparkAuthKey.apply((key) => deriveSparkAuthSecret(key, release.name)))
        : undefined;
    const connectToken =
      active && sparkAuthKey && authenticatesConnect(release)
        ? pulumi.secret(sparkAuthKey.apply((key) => deriveConnectToken(key, release.name)))
        : undefined;
    // Kept while the release is configured, like the key: a rollback gets the CA its
    // clients already trust.
    const certificates = authenticatesConnect(release)
      ? new ConnectCertificates(
          `${release.name}-connect-certificates`,
          connectCertificateSpec(release),
        )
      : undefined;
    const spark = active
      ? new SparkRelease(
          `${release.name}-spark`,
          {
            platform: config,
            release,
            namespace,
            objectStoreCredentials: credentials,
            ...(authSecret ? { authSecret } : {}),
            ...(connectToken ? { connectToken } : {}),
            ...(certificates
              ? {
                  connectCertificates: {
                    caCert: certificates.caCert,
                    serverCert: certificates.serverCert,
                    serverKey: certificates.serverKey,
                  },
                }
              : {}),
            clientNamespaces,
          },
          { providers },
        )
      : undefined;
    const serviceAccount = spark?.serviceAccount;

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
          postgres: postgres!,
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
        objectStore,
      },
      { providers },
    );
    // --- version benchmark (components/benchmark): opt-in, active releases only ---
    const benchmark =
      config.benchmark.enabled && active
        ? new SparkBenchmark(
            `${release.name}-benchmark`,
            {
              platform: config,
              release,
              namespace,
              after: [...(spark ? [spark] : []), ...(metastore ? [metastore] : []), history],
            },
            { providers },
          )
        : undefined;
    // --- end version benchmark ---
    releases[release.name] = {
      ...(spark ? { spark } : {}),
      ...(metastore ? { metastore } : {}),
      history,
      ...(benchmark ? { benchmark } : {}),
    };
  }

  // --- notebooks (components/notebook): granted clients of a Connect release ---
  const notebooks: Record<string, Notebook> = {};
  for (const notebook of config.notebooks) {
    const release = config.releases.find((r) => r.name === notebook.release)!;
    const key = `${notebook.namespace}/${notebook.name}`;
    const connectClientSecret = releases[release.name]?.spark?.clientSecrets[notebook.namespace];
    notebooks[key] = new Notebook(
      `${notebook.namespace}-${notebook.name}-notebook`,
      {
        notebook,
        release,
        namespace: clientNamespaces.get(notebook.namespace) ?? notebook.namespace,
        // A Connect release is configured, so the stack's key exists (parsePlatformConfig).
        token: pulumi.secret(
          sparkAuthKey!.apply((k) => deriveNotebookToken(k, notebook.namespace, notebook.name)),
        ),
        ...(connectClientSecret ? { connectClientSecret } : {}),
      },
      { providers },
    );
  }

  return {
    outputs: platformOutputs(config),
    metastoreCredentials: pulumi.secret(pulumi.all(passwords)),
    releases,
    notebooks,
  };
}

/**
 * The bucket every release's prefix lives in, created once per stack (or named, when it
 * exists already). Shared by every release's event logs: never deleted by a stack operation.
 */
function sharedBucket(
  config: PlatformConfig,
  objectStore: ObjectStoreBackend,
): pulumi.Input<string> {
  const store = config.objectStore;
  if (!store.createBucket) return store.bucket;
  return objectStore.bucket("spark-platform-bucket", store.bucket, {
    retainOnDelete: true,
    protect: config.protectData,
  }).bucketName;
}
