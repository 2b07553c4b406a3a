import { z } from "zod";
import { dnsSubdomainProblem } from "../kube/labels";
import { SIZE_PATTERN } from "../units/sizes";
import { placementSchema } from "./placementSchema";

/**
 * Shape of the stack configuration (`spark-platform:*` keys). Every object is strict:
 * an unknown or misspelt key is an error instead of a setting that silently matches
 * nothing. Defaults are applied later, in resolve.ts, where they can derive from the
 * release name.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PG_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const PREFIX = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;
const JOB_ID = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;

export const size = z
  .string()
  .regex(SIZE_PATTERN, "must be a JVM size with a unit, such as 512m or 4g");

export const dnsLabel = z
  .string()
  .max(63, "must be at most 63 characters")
  .regex(DNS_LABEL, "must be a DNS-1123 label: lowercase letters, digits and '-'");

/** A ServiceAccount name as the API server accepts it: a DNS-1123 subdomain. */
export const serviceAccountName = z
  .string()
  .max(253, "must be at most 253 characters")
  .regex(
    DNS_SUBDOMAIN,
    "must be a DNS-1123 subdomain (a ServiceAccount name): lowercase letters, digits, '-' and '.'",
  );

export const releaseName = z
  .string()
  .regex(DNS_1035_LABEL, "must start with a lowercase letter and hold only a-z, 0-9 and '-'");

export const pgIdentifier = z
  .string()
  .max(63, "must be at most 63 characters (PostgreSQL identifier limit)")
  .regex(PG_IDENTIFIER, "must be a lowercase PostgreSQL identifier: a-z, 0-9, '_'");

export const objectPrefix = z
  .string()
  .max(512, "must be at most 512 characters")
  .regex(
    PREFIX,
    "must be a relative key prefix like 3.5/events (no leading or trailing '/', no empty segments)",
  )
  .refine((p) => !p.split("/").some((s) => s === "." || s === ".."), {
    message: "must not contain '.' or '..' segments",
  });

export const bucketName = z
  .string()
  .min(3, "must be 3 to 63 characters")
  .max(63, "must be 3 to 63 characters")
  .regex(
    /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
    "must be lowercase letters, digits, '.' and '-', starting and ending with a letter or digit",
  )
  .refine((b) => !b.includes(".."), { message: "must not contain '..'" })
  .refine((b) => !/^\d+\.\d+\.\d+\.\d+$/.test(b), {
    message: "must not be formatted as an IP address",
  });

export const endpoint = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === "http:" || url.protocol === "https:") &&
        url.hostname !== "" &&
        (url.pathname === "/" || url.pathname === "") &&
        url.search === "" &&
        !value.endsWith("/")
      );
    } catch {
      return false;
    }
  },
  { message: "must be an http(s) URL with host and optional port, no path: http://minio:9000" },
);

const positiveInt = (max: number) =>
  z
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(max, `must be at most ${max}`);

const podSecurityLevel = z.enum(["privileged", "baseline", "restricted"]);

export const podSecuritySchema = z.strictObject({
  /** Level the namespace enforces (pods violating it are rejected). */
  enforce: podSecurityLevel.optional(),
  /** Level that produces warnings on apply. */
  warn: podSecurityLevel.optional(),
  /** Level recorded in the audit log. */
  audit: podSecurityLevel.optional(),
});

/** An IPv4 CIDR such as 10.201.0.1/32 (a NetworkPolicy ipBlock). */
export const ipv4Cidr = z
  .string()
  .regex(
    /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$/,
    "must be an IPv4 CIDR such as 10.0.0.5/32",
  );

const egressCidrs = z.array(ipv4Cidr).min(1, "must list at least one CIDR when set");

export const postgresSchema = z.strictObject({
  host: z.string().min(1, "must not be empty"),
  port: z.number().int().min(1).max(65535).optional(),
  adminHost: z.string().min(1, "must not be empty").optional(),
  adminPort: z.number().int().min(1).max(65535).optional(),
  egressCidrs: egressCidrs.optional(),
  adminUser: z.string().min(1).optional(),
  sslmode: z.enum(["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]).optional(),
  database: z.string().min(1).optional(),
  superuser: z.boolean().optional(),
  provider: z.enum(["postgresql", "dynamic"]).optional(),
});

export const objectStoreSchema = z.strictObject({
  endpoint,
  adminEndpoint: endpoint.optional(),
  egressCidrs: egressCidrs.optional(),
  bucket: bucketName,
  region: z.string().min(1).optional(),
  createBucket: z.boolean().optional(),
  provider: z.enum(["aws", "minio", "dynamic"]).optional(),
});

export const kubernetesSchema = z.strictObject({
  context: z.string().min(1).optional(),
  kubeconfig: z.string().min(1).optional(),
  renderYamlToDirectory: z.string().min(1).optional(),
  apiServerPort: z.number().int().min(1).max(65535).optional(),
  /** Where the API server is, as ipBlock peers of the Connect server's egress (see the model). */
  apiServerCidrs: egressCidrs.optional(),
});

const cpuQuantity = z
  .string()
  .regex(/^([0-9]+m|[0-9]+(\.[0-9]+)?)$/, "must be a CPU quantity like 500m or 1");

/** A disk size as Kubernetes reads it, binary units: 512Mi, 2Gi. */
export const storageSize = z
  .string()
  .regex(/^[1-9][0-9]*(Mi|Gi|Ti)$/, "must be a size in Mi, Gi or Ti, such as 512Mi or 20Gi");

/** The standalone master's recovery state: FILESYSTEM recovery on a PersistentVolumeClaim. */
export const masterRecoverySchema = z.strictObject({
  enabled: z.boolean().optional(),
  /** StorageClass of the claim; unset: the cluster's default StorageClass. */
  storageClassName: z
    .string()
    .refine((name) => dnsSubdomainProblem(name) === undefined, {
      message:
        "must be a StorageClass name (a DNS subdomain: lowercase letters, digits, '-' and '.')",
    })
    .optional(),
  size: storageSize.optional(),
});

export const standaloneSchema = z.strictObject({
  workers: z.number().int().min(0, "must be 0 or more").max(100, "must be at most 100").optional(),
  workerCores: positiveInt(64).optional(),
  workerCpuRequest: cpuQuantity.optional(),
  workerMemory: size.optional(),
  executorMemory: size.optional(),
  daemonMemory: size.optional(),
  localDirSize: storageSize.optional(),
  workDirSize: storageSize.optional(),
  recovery: masterRecoverySchema.optional(),
});

export const connectSchema = z.strictObject({
  driverCores: positiveInt(32).optional(),
  driverMemory: size.optional(),
  executorInstances: z.number().int().min(0).max(200).optional(),
  executorCores: positiveInt(32).optional(),
  executorMemory: size.optional(),
  driverCpuRequest: cpuQuantity.optional(),
  executorCpuRequest: cpuQuantity.optional(),
  localDirSize: storageSize.optional(),
  executorLocalDirSize: storageSize.optional(),
  /** Image of the TLS terminator beside the server (built from images/connect-tls). */
  tlsImage: z.string().min(1).optional(),
  dynamicAllocation: z
    .strictObject({
      enabled: z.boolean().optional(),
      minExecutors: z.number().int().min(0).max(200).optional(),
      maxExecutors: z.number().int().min(1).max(200).optional(),
    })
    .optional(),
});

export const hiveMetastoreSchema = z.strictObject({
  enabled: z.boolean().optional(),
  database: pgIdentifier.optional(),
  role: pgIdentifier.optional(),
  image: z.string().min(1).optional(),
  heapMemory: size.optional(),
});

export const historyServerSchema = z.strictObject({
  enabled: z.boolean().optional(),
  prefix: objectPrefix.optional(),
  image: z.string().min(1).optional(),
  heapMemory: size.optional(),
  storeSize: storageSize.optional(),
  rollingMaxFileSize: size.optional(),
});

/**
 * A namespace whose pods may be clients of a release (granted by the platform team): pods
 * there labelled `spark-platform.io/client-of: <release>` reach it, under one of
 * `serviceAccounts` when listed.
 */
export const clientSchema = z.strictObject({
  namespace: dnsLabel,
  serviceAccounts: z
    .array(serviceAccountName)
    .min(
      1,
      "must list at least one ServiceAccount: an empty list reads both as 'no ServiceAccount' (then no pod of the namespace is a client: remove the entry) and as 'any ServiceAccount' (then omit serviceAccounts); say which",
    )
    .optional(),
  createNamespace: z.boolean().optional(),
});

export const releaseSchema = z.strictObject({
  name: releaseName,
  sparkVersion: z.string().regex(/^\d+\.\d+\.\d+$/, "must be a full version such as 3.5.7"),
  mode: z.enum(["standalone", "connect"]),
  image: z.string().min(1).optional(),
  namespace: dnsLabel.optional(),
  serviceAccountName: dnsLabel.optional(),
  decommissioned: z.boolean().optional(),
  warehousePrefix: objectPrefix.optional(),
  hiveMetastore: hiveMetastoreSchema.optional(),
  historyServer: historyServerSchema.optional(),
  standalone: standaloneSchema.optional(),
  connect: connectSchema.optional(),
  sparkConf: z.record(z.string(), z.string()).optional(),
  placement: placementSchema.optional(),
  clients: z.array(clientSchema).optional(),
});

export const jobSchema = z.strictObject({
  id: z
    .string()
    .max(63, "must be at most 63 characters")
    .regex(JOB_ID, "must be lowercase letters, digits, '-', '_' and '.'"),
  release: z.string().min(1),
  description: z.string().optional(),
  owner: z.string().optional(),
  pilot: z.boolean().optional(),
});

export const benchmarkSchema = z.strictObject({
  enabled: z.boolean().optional(),
  rows: z.number().int().min(1000).max(10_000_000_000).optional(),
  partitions: positiveInt(10_000).optional(),
  image: z.string().min(1).optional(),
});

/**
 * A Maven-layout repository: http(s), a host, an optional port and path, no query, no
 * credentials (they would land in every pod spec): https://repo1.maven.org/maven2.
 */
export const mavenRepository = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === "http:" || url.protocol === "https:") &&
        url.hostname !== "" &&
        url.username === "" &&
        url.password === "" &&
        url.search === "" &&
        url.hash === ""
      );
    } catch {
      return false;
    }
  },
  {
    message:
      "must be an http(s) URL of a Maven-layout repository, without credentials or query: https://repo1.maven.org/maven2",
  },
);

export const jarsSchema = z.strictObject({
  /** Maven-layout repository the init containers download from (a mirror in air-gapped clusters). */
  repository: mavenRepository.optional(),
  /** `download`: init containers fetch and verify the jars; `image`: derived images carry them. */
  source: z.enum(["download", "image"]).optional(),
  /** ipBlock peers for the download egress (a mirror behind a selector-less Service). */
  egressCidrs: egressCidrs.optional(),
});

/**
 * Prometheus metrics of every release (`spark-platform:monitoring`), absent by default:
 * the namespace the Prometheus Operator's Prometheus runs in (the only namespace the
 * releases' metrics ports admit), and whether PodMonitors are created for it.
 */
export const monitoringSchema = z.strictObject({
  namespace: dnsLabel,
  podMonitors: z.boolean({ error: "must be true or false" }).optional(),
});

/**
 * A JupyterLab for a Spark Connect release's clients (`spark-platform:notebooks[]`): a
 * granted client like any other, in one of the release's client namespaces.
 */
export const notebookSchema = z.strictObject({
  /** The Deployment's and Service's name; its Secret and ConfigMap add suffixes. */
  name: z
    .string()
    .max(40, "must be at most 40 characters (its Secret and ConfigMap add suffixes)")
    .regex(DNS_LABEL, "must be a DNS-1123 label: lowercase letters, digits and '-'"),
  namespace: dnsLabel,
  release: z.string().min(1, "must name a release"),
  serviceAccount: serviceAccountName.optional(),
  image: z.string().min(1, "must not be empty").optional(),
});

/** Config keys (without the `spark-platform:` namespace) and their schemas. */
export const TOP_LEVEL_KEYS = {
  namespaceLayout: z.enum(["shared", "perRelease"]),
  sharedNamespace: dnsLabel,
  podSecurity: podSecuritySchema,
  protectData: z.boolean(),
  postgres: postgresSchema,
  postgresAdminPassword: z.string().min(1, "must not be empty"),
  objectStore: objectStoreSchema,
  objectStoreAccessKey: z.string().min(1, "must not be empty"),
  objectStoreSecretKey: z.string().min(1, "must not be empty"),
  kubernetes: kubernetesSchema,
  releases: z.array(releaseSchema),
  jobs: z.array(jobSchema),
  benchmark: benchmarkSchema,
  jars: jarsSchema,
  monitoring: monitoringSchema,
  notebooks: z.array(notebookSchema),
} as const;

export type TopLevelKey = keyof typeof TOP_LEVEL_KEYS;

/** Keys that hold credentials: they must be set with `pulumi config set --secret`. */
export const SECRET_KEYS = [
  "postgresAdminPassword",
  "objectStoreAccessKey",
  "objectStoreSecretKey",
] as const satisfies readonly TopLevelKey[];

export type SecretKey = (typeof SECRET_KEYS)[number];

export type RawRelease = z.infer<typeof releaseSchema>;
export type RawClient = z.infer<typeof clientSchema>;
export type RawJob = z.infer<typeof jobSchema>;
export type RawPostgres = z.infer<typeof postgresSchema>;
export type RawObjectStore = z.infer<typeof objectStoreSchema>;
export type RawBenchmark = z.infer<typeof benchmarkSchema>;
export type RawJars = z.infer<typeof jarsSchema>;
export type RawKubernetes = z.infer<typeof kubernetesSchema>;
export type RawPodSecurity = z.infer<typeof podSecuritySchema>;
export type RawMonitoring = z.infer<typeof monitoringSchema>;
export type RawNotebook = z.infer<typeof notebookSchema>;
