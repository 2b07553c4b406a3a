import type { IIoK8sApiCoreV1Affinity as IAffinity } from "kubernetes-models/v1/Affinity";
import type { IIoK8sApiCoreV1Toleration as IToleration } from "kubernetes-models/v1/Toleration";
import type { IIoK8sApiCoreV1TopologySpreadConstraint as ITopologySpreadConstraint } from "kubernetes-models/v1/TopologySpreadConstraint";
import type { ReleaseNames } from "../naming/names";
import type { SparkLine, SparkMode } from "../spark/versions";

/** Resolved platform configuration: every default applied, every check passed. */
export interface PlatformConfig {
  readonly namespaceLayout: "shared" | "perRelease";
  readonly sharedNamespace: string;
  readonly podSecurity: PodSecurityLevels;
  readonly protectData: boolean;
  readonly postgres: PostgresConfig;
  readonly objectStore: ObjectStoreConfig;
  readonly kubernetes: KubernetesConfig;
  readonly releases: readonly ReleaseConfig[];
  readonly jobs: readonly JobConfig[];
  readonly benchmark: BenchmarkConfig;
  readonly jars: JarsConfig;
  /** Prometheus metrics of every release; undefined (the default): none exposed or admitted. */
  readonly monitoring?: MonitoringConfig;
  /** JupyterLab notebooks, each a granted client of one Connect release (`notebooks[]`). */
  readonly notebooks: readonly NotebookConfig[];
}

/** A JupyterLab Deployment that is a client of one Spark Connect release (`notebooks[i]`). */
export interface NotebookConfig {
  /** Position in `notebooks`, for error keys. */
  readonly index: number;
  readonly name: string;
  /** One of the release's client namespaces. */
  readonly namespace: string;
  /** The Connect release it is a client of. */
  readonly release: string;
  /** The ServiceAccount its pod runs under. */
  readonly serviceAccount: string;
  /**
   * Whether the platform creates that ServiceAccount: only when none was named (then the
   * grant lists no ServiceAccounts); a named one is the team's, as a grant's are.
   */
  readonly createServiceAccount: boolean;
  readonly image: string;
  readonly names: NotebookNames;
}

/** The objects a notebook creates in its namespace. */
export interface NotebookNames {
  /** Deployment, Service and NetworkPolicy. */
  readonly notebook: string;
  /** Secret holding the Jupyter login token (key `token`). */
  readonly tokenSecret: string;
  /** ConfigMap of the kernel's startup script (the preconfigured Spark session). */
  readonly session: string;
}

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

export interface PodSecurityLevels {
  readonly enforce: PodSecurityLevel;
  readonly warn: PodSecurityLevel;
  readonly audit: PodSecurityLevel;
}

/** Where the Pulumi engine's providers connect, when that differs from what pods use. */
export interface AdminAddress {
  readonly host: string;
  readonly port: number;
}

export interface PostgresConfig {
  /** Host as pods reach it (hive-site, NetworkPolicies). */
  readonly host: string;
  readonly port: number;
  /** Where `pulumi up` connects to create databases and roles (default: host and port). */
  readonly admin: AdminAddress;
  /**
   * ipBlock peers the metastore pods may reach PostgreSQL at; empty: derived from the host
   * (an in-cluster Service's namespace, an IP) or, for a DNS name, by port only.
   */
  readonly egressCidrs: readonly string[];
  readonly adminUser: string;
  readonly sslmode: string;
  readonly database: string;
  readonly superuser: boolean;
  /**
   * `postgresql` (default): @pulumi/postgresql. `dynamic`: the platform's own dynamic
   * provider (lib/backends/postgres/dynamic.ts), for engines without that plugin.
   */
  readonly provider: "postgresql" | "dynamic";
}

export interface ObjectStoreConfig {
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly createBucket: boolean;
  /** `aws` (default), `minio`, or `dynamic` (lib/backends/objectStore/dynamic.ts, no plugin needed). */
  readonly provider: "aws" | "minio" | "dynamic";
  /** Host name of the endpoint (for NetworkPolicies). */
  readonly host: string;
  /** Port of the endpoint (explicit or the scheme default). */
  readonly port: number;
  readonly useSsl: boolean;
  /** Where `pulumi up` connects to create the bucket and prefix markers (default: endpoint). */
  readonly admin: AdminAddress & { readonly endpoint: string; readonly useSsl: boolean };
  /** ipBlock peers pods may reach the object store at; empty: derived from the endpoint host. */
  readonly egressCidrs: readonly string[];
}

export interface KubernetesConfig {
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly renderYamlToDirectory?: string;
  /** Port of the Kubernetes API server as pods reach it (for the Connect server's egress). */
  readonly apiServerPort: number;
  /**
   * The API server's addresses as NetworkPolicy ipBlocks: the `kubernetes` Service IP and
   * the API server endpoints (enforcers see the post-DNAT endpoint, e.g. 10.201.0.2/32 on
   * the local cluster, beside 10.96.0.1/32). The Connect server's egress to the API is
   * limited to them; empty (the default): to any address on the API ports, which the
   * verifier reports as a warning.
   */
  readonly apiServerCidrs: readonly string[];
}

export interface MetastoreConfig {
  readonly enabled: boolean;
  readonly database: string;
  readonly role: string;
  readonly image: string;
  readonly hiveVersion: string;
  readonly heapMiB: number;
}

export interface HistoryConfig {
  readonly enabled: boolean;
  /** Key prefix in the shared bucket, e.g. `3.5/events`. */
  readonly prefix: string;
  /** `s3a://<bucket>/<prefix>`: where writers log and the History Server reads. */
  readonly eventLogDir: string;
  readonly image: string;
  readonly heapMiB: number;
  /**
   * emptyDir of the server's disk store (spark.history.store.path, the parsed UIs of
   * applications); spark.history.store.maxDiskUsage stays below it.
   */
  readonly storeMiB: number;
  /**
   * Connect releases only (`historyServer.rollingMaxFileSize`): the server is one long
   * application, so its event log rolls (`spark.eventLog.rolling.maxFileSize`) and each
   * closed file becomes readable on S3 while the server runs. Undefined for standalone
   * releases, whose applications close their logs when they end.
   */
  readonly rollingMaxFileSizeMiB?: number;
}

/**
 * The standalone master's recovery (`spark.deploy.recoveryMode=FILESYSTEM`): registered
 * workers and applications are written to a PersistentVolumeClaim of the release, so a
 * replaced master pod reads them back and running applications keep their executors.
 */
export interface MasterRecoveryConfig {
  readonly enabled: boolean;
  /** StorageClass of the claim; undefined: the cluster's default StorageClass. */
  readonly storageClassName?: string;
  /** Requested size, a Kubernetes quantity (128Mi). */
  readonly size: string;
}

export interface StandaloneConfig {
  readonly workers: number;
  readonly workerCores: number;
  /** CPU request of a worker pod (default: workerCores); its limit stays workerCores. */
  readonly workerCpuRequest: string;
  readonly workerMemoryMiB: number;
  /**
   * spark.executor.memory of the release's spark-defaults: what an application that does
   * not size its executors asks (a spark-submit in the master pod, a notebook). Never more
   * than a worker offers, or the application waits for resources forever.
   */
  readonly executorMemoryMiB: number;
  readonly daemonMemoryMiB: number;
  /** emptyDir of a worker's spark.local.dir: shuffle and spill of every executor it runs. */
  readonly localDirMiB: number;
  /** emptyDir of a worker's --work-dir: application jars and executor logs. */
  readonly workDirMiB: number;
  readonly recovery: MasterRecoveryConfig;
}

export interface ConnectConfig {
  readonly driverCores: number;
  /** CPU request of the Connect server pod (default: driverCores); its limit stays driverCores. */
  readonly driverCpuRequest: string;
  readonly driverMemoryMiB: number;
  readonly executorInstances: number;
  readonly executorCores: number;
  readonly executorMemoryMiB: number;
  readonly executorCpuRequest: string;
  /** emptyDir of the driver's spark.local.dir in the Connect server pod. */
  readonly localDirMiB: number;
  /** emptyDir of each executor's spark.local.dir (shuffle, spill, cached blocks). */
  readonly executorLocalDirMiB: number;
  /**
   * Image of the TLS terminator in the server's pod (images/connect-tls, one static
   * binary): `connect.tlsImage`, default the local cluster's build of it.
   */
  readonly tlsImage: string;
  readonly dynamicAllocation: {
    readonly enabled: boolean;
    readonly minExecutors: number;
    readonly maxExecutors: number;
  };
}

/**
 * Where every pod of a release may run: the PodSpec fields of the same names, in
 * Kubernetes' own shapes, applied as given to each of the release's pods (Deployments,
 * Jobs, the Connect executors' pod template). Empty: wherever the scheduler puts them.
 */
export interface PodPlacement {
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly IToleration[];
  readonly affinity?: IAffinity;
  readonly topologySpreadConstraints?: readonly ITopologySpreadConstraint[];
  readonly priorityClassName?: string;
}

export interface ReleaseConfig {
  readonly name: string;
  /** Position in `spark-platform:releases`, for error messages. */
  readonly index: number;
  readonly sparkVersion: string;
  readonly line: SparkLine;
  readonly mode: SparkMode;
  readonly image: string;
  readonly namespace: string;
  readonly names: ReleaseNames;
  /** Workloads removed; database, role and event-log prefix retained. */
  readonly decommissioned: boolean;
  readonly warehousePrefix: string;
  readonly warehouseDir: string;
  readonly metastore: MetastoreConfig;
  readonly history: HistoryConfig;
  readonly standalone?: StandaloneConfig;
  readonly connect?: ConnectConfig;
  /** Extra Spark settings; keys that would break isolation are refused. */
  readonly sparkConf: Readonly<Record<string, string>>;
  readonly placement: PodPlacement;
  /**
   * The namespaces whose pods the platform team granted access (`releases[].clients`):
   * only pods there labelled `spark-platform.io/client-of: <release>` get through the
   * release's NetworkPolicies, and its admission policy refuses that label anywhere else.
   * Empty: the release admits no client at all.
   */
  readonly clients: readonly ClientGrant[];
}

/**
 * One granted client namespace of a release (`releases[].clients[]`): Airflow workers,
 * notebooks, a team's pipelines. The namespace is the team's; the platform only admits it.
 */
export interface ClientGrant {
  /** Position in `releases[].clients`, so messages name the key to change. */
  readonly index: number;
  /** The namespace client pods run in (a DNS-1123 label). */
  readonly namespace: string;
  /**
   * ServiceAccounts a client pod of the namespace must run as; absent: any ServiceAccount
   * of the namespace (never empty: the schema refuses an empty list as ambiguous). Required
   * where labelling a pod is not enough: a namespace that holds the release itself.
   */
  readonly serviceAccounts?: readonly string[];
  /**
   * The platform creates the namespace (Pod Security restricted) and keeps it when the
   * entry or the stack goes (`retainOnDelete`: a team's workloads live there). False (the
   * default): the namespace must exist before `pulumi up`.
   */
  readonly createNamespace: boolean;
}

export interface JobConfig {
  readonly id: string;
  readonly release: string;
  readonly description?: string;
  readonly owner?: string;
  /** Marks a job moved to the new release as part of the pilot phase. */
  readonly pilot: boolean;
}

export interface BenchmarkConfig {
  /** One `<release>-benchmark` Job per active release (components/benchmark). */
  readonly enabled: boolean;
  /** Rows of the `spark.range` data every query reads. */
  readonly rows: number;
  /** Partitions of that data, and `spark.sql.shuffle.partitions` of the run. */
  readonly partitions: number;
  /**
   * Image of the Connect client (Connect releases only): it must hold
   * `pyspark-client==<sparkVersion>` with grpcio, pandas and pyarrow; required when the
   * benchmark is enabled with an active Connect release (the Spark image lacks them).
   * Standalone releases always submit from their own release image, so the driver
   * matches the cluster.
   */
  readonly image?: string;
}

/**
 * Where the jars the official images lack (lib/jars/catalog.ts) come from.
 * `download`: an init container of each pod that needs them fetches them from `repository`
 * and verifies their pinned SHA-256 (egress to the repository is opened for those pods
 * only). `image`: the images carry them (images/); a pod whose image lacks one stops in
 * its first seconds with one line naming the jar and the fix.
 */
export interface JarsConfig {
  /** Maven-layout repository, no trailing slash (default https://repo1.maven.org/maven2). */
  readonly repository: string;
  readonly source: "download" | "image";
  /** ipBlock peers of the download egress; empty: derived from the repository host. */
  readonly egressCidrs: readonly string[];
  /** Host of the repository (for NetworkPolicies). */
  readonly host: string;
  /** Port of the repository (explicit or the scheme default). */
  readonly port: number;
}

/**
 * Prometheus metrics (`spark-platform:monitoring`, docs/metrics.md): every release serves
 * them on its UI ports, admits them from `namespace` only, and gets PodMonitors there.
 */
export interface MonitoringConfig {
  /**
   * The namespace Prometheus scrapes from (its pods' namespace): each release's
   * `allow-metrics` NetworkPolicy admits its metrics ports from this namespace alone.
   */
  readonly namespace: string;
  /** Create a `monitoring.coreos.com/v1` PodMonitor per scrapeable workload (default true). */
  readonly podMonitors: boolean;
}

/** One problem in the configuration, naming the key and the releases involved. */
export interface ConfigIssue {
  /** Full config key, e.g. `spark-platform:releases[1].historyServer.prefix`. */
  readonly key: string;
  readonly message: string;
  /** Releases involved (empty for stack-wide keys). */
  readonly releases: readonly string[];
}

/** Configuration as read from a stack file or the Pulumi runtime, before validation. */
export interface RawConfig {
  /** Values keyed without the `spark-platform:` namespace. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Keys (without namespace) whose values are Pulumi secrets. */
  readonly secretKeys: ReadonlySet<string>;
  /**
   * Keys of the `kubernetes:`, `aws:` and `postgresql:` namespaces: the platform uses
   * explicit providers, so such keys would configure nothing.
   */
  readonly providerKeys?: readonly string[];
}
