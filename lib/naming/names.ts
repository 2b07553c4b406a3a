/**
 * Every Kubernetes object name the platform creates, derived from the release name.
 * Names are fixed (no auto-suffix) so that Services have stable DNS names, and
 * release-prefixed exactly once so two releases can never collide.
 */

export const PORTS = {
  masterRpc: 7077,
  masterUi: 8080,
  workerRpc: 7078,
  workerUi: 8081,
  /** The Connect port clients dial: the TLS terminator in the server's pod listens there. */
  connectGrpc: 15002,
  /** The Connect server's own plain-text gRPC port, bound to the pod's loopback only. */
  connectGrpcLoopback: 15012,
  driverUi: 4040,
  driverRpc: 7078,
  blockManager: 7079,
  metastoreThrift: 9083,
  historyUi: 18080,
  /** A notebook's JupyterLab (components/notebook): reached through port-forward only. */
  jupyter: 8888,
} as const;

/** Names of the Kubernetes objects of one release. */
export interface ReleaseNames {
  readonly release: string;
  readonly serviceAccount: string;
  readonly sparkDefaults: string;
  readonly objectStoreSecret: string;
  /** Standalone: the release's Spark authentication secret (its daemons and in-pod drivers). */
  readonly sparkAuthSecret: string;
  /** Standalone: the Secret a granted client namespace gets to authenticate its drivers. */
  readonly sparkClientSecret: string;
  readonly master: string;
  /** The standalone master's recovery claim (PersistentVolumeClaim). */
  readonly masterRecovery: string;
  readonly worker: string;
  readonly connect: string;
  /**
   * Connect: the server's Secret (its spark-defaults with the authentication token, the
   * TLS terminator's certificate and key).
   */
  readonly connectServerSecret: string;
  /** Connect: the Secret a granted client namespace gets (the token and the CA certificate). */
  readonly connectClientSecret: string;
  readonly executorPodTemplate: string;
  readonly executorRole: string;
  readonly metastore: string;
  readonly metastoreConfig: string;
  readonly metastoreDbSecret: string;
  readonly metastoreObjectStoreSecret: string;
  readonly metastoreSchemaInit: string;
  readonly history: string;
  readonly historyConfig: string;
  readonly historyObjectStoreSecret: string;
  readonly benchmark: string;
  readonly benchmarkConfig: string;
  readonly networkPolicy: (purpose: NetworkPolicyPurpose) => string;
}

/** Suffixes appended to a release name; the longest bounds the release name's length. */
export const NAME_SUFFIXES = [
  "-spark",
  "-spark-defaults",
  "-object-store",
  "-spark-auth",
  "-spark-client",
  "-master",
  "-master-recovery",
  "-worker",
  "-connect",
  "-connect-server",
  "-connect-client",
  "-executor-template",
  "-executor-manager",
  "-metastore",
  "-metastore-conf",
  "-metastore-db",
  "-metastore-object-store",
  "-metastore-schema-init",
  "-history",
  "-history-conf",
  "-history-object-store",
  "-benchmark",
  "-benchmark-conf",
  "-default-deny",
  "-allow-dns",
  "-allow-intra-release",
  "-allow-clients",
  "-allow-postgres",
  "-allow-object-store",
  "-allow-kube-api",
  "-allow-jar-repository",
  "-allow-metrics",
] as const;

/** Purposes of a release's NetworkPolicies (each becomes `<release>-<purpose>`). */
export type NetworkPolicyPurpose =
  | "default-deny"
  | "allow-dns"
  | "allow-intra-release"
  | "allow-clients"
  | "allow-postgres"
  | "allow-object-store"
  | "allow-kube-api"
  | "allow-jar-repository"
  | "allow-metrics";

/** Hex characters of the per-start run id in executor pod names. */
export const EXECUTOR_RUN_ID_LENGTH = 6;

/**
 * What Spark appends to `spark.kubernetes.executor.podNamePrefix`: `-exec-<id>`; its
 * validator reserves room for the largest id (Int.MaxValue, 10 digits) within 63.
 */
export const SPARK_EXECUTOR_NAME_RESERVED = "-exec-".length + String(2 ** 31 - 1).length;

/**
 * Executor pod name prefix of one start of a Connect server: `<release>-<run id>`, so
 * executors are named `<release>-<run id>-exec-<n>`, release-prefixed once, and never
 * collide with pods a previous run of the server left behind.
 */
export function executorPodNamePrefix(release: string, runId: string): string {
  return `${release}-${runId}`;
}

/** Executor pods of a release across runs, for people and reports. */
export function executorPodNamePattern(release: string): string {
  return `${release}-*-exec-*`;
}

/**
 * Kubernetes object names are at most 63 characters (DNS-1123 labels for Services;
 * Jobs also put their name into a label). 63 minus the longest suffix is the
 * longest release name that keeps every derived name valid; executor pod names
 * (`<release>-<run id>` plus what Spark reserves) must fit too.
 */
export const MAX_RELEASE_NAME_LENGTH = Math.min(
  63 - Math.max(...NAME_SUFFIXES.map((s) => s.length)),
  63 - SPARK_EXECUTOR_NAME_RESERVED - 1 - EXECUTOR_RUN_ID_LENGTH,
);

export function releaseNames(release: string, serviceAccount?: string): ReleaseNames {
  const n = (suffix: (typeof NAME_SUFFIXES)[number]): string => `${release}${suffix}`;
  return {
    release,
    serviceAccount: serviceAccount ?? n("-spark"),
    sparkDefaults: n("-spark-defaults"),
    objectStoreSecret: n("-object-store"),
    sparkAuthSecret: n("-spark-auth"),
    sparkClientSecret: n("-spark-client"),
    master: n("-master"),
    masterRecovery: n("-master-recovery"),
    worker: n("-worker"),
    connect: n("-connect"),
    connectServerSecret: n("-connect-server"),
    connectClientSecret: n("-connect-client"),
    executorPodTemplate: n("-executor-template"),
    executorRole: n("-executor-manager"),
    metastore: n("-metastore"),
    metastoreConfig: n("-metastore-conf"),
    metastoreDbSecret: n("-metastore-db"),
    metastoreObjectStoreSecret: n("-metastore-object-store"),
    metastoreSchemaInit: n("-metastore-schema-init"),
    history: n("-history"),
    historyConfig: n("-history-conf"),
    historyObjectStoreSecret: n("-history-object-store"),
    benchmark: n("-benchmark"),
    benchmarkConfig: n("-benchmark-conf"),
    networkPolicy: (purpose: NetworkPolicyPurpose) => n(`-${purpose}`),
  };
}

/** In-cluster DNS name of a Service. */
export function serviceHost(service: string, namespace: string): string {
  return `${service}.${namespace}.svc`;
}

/** Default PostgreSQL database of a release's metastore: `spark-35` -> `metastore_spark35`. */
export function defaultMetastoreDatabase(release: string): string {
  return `metastore_${release.replace(/[^a-z0-9]/g, "")}`;
}

/** Default event-log prefix inside the shared bucket. */
export function defaultEventLogPrefix(release: string): string {
  return `${release}/events`;
}

/** Default warehouse prefix inside the shared bucket. */
export function defaultWarehousePrefix(release: string): string {
  return `warehouse/${release}`;
}
