// Defaults: each raw (schema-checked) section of the stack configuration resolved into
// the platform's model, with every default applied. Problems only visible once defaults
// are known (sizes, versions, derived name lengths) are added to the caller's issues.
import {
  defaultEventLogPrefix,
  defaultMetastoreDatabase,
  defaultWarehousePrefix,
  MAX_RELEASE_NAME_LENGTH,
  releaseNames,
} from "../naming/names";
import {
  defaultHiveMetastoreImage,
  DEFAULT_CONNECT_TLS_IMAGE,
  defaultSparkImage,
  sparkLineOf,
  supportedVersionsText,
} from "../spark/versions";
import { memoryToMiB, sizeToMiB } from "../units/sizes";
import { configKey } from "./keys";
import type {
  ClientGrant,
  ConfigIssue,
  JobConfig,
  PlatformConfig,
  PodPlacement,
  ReleaseConfig,
} from "./model";
import type { RawPlacement } from "./placementSchema";
import type {
  RawBenchmark,
  RawClient,
  RawJars,
  RawJob,
  RawKubernetes,
  RawMonitoring,
  RawObjectStore,
  RawPodSecurity,
  RawPostgres,
  RawRelease,
} from "./schema";

export function resolvePodSecurity(raw: RawPodSecurity | undefined): PlatformConfig["podSecurity"] {
  return {
    enforce: raw?.enforce ?? "restricted",
    warn: raw?.warn ?? "restricted",
    audit: raw?.audit ?? "restricted",
  };
}

export function resolvePostgres(raw: RawPostgres | undefined): PlatformConfig["postgres"] {
  return {
    host: raw?.host ?? "",
    port: raw?.port ?? 5432,
    admin: {
      host: raw?.adminHost ?? raw?.host ?? "",
      port: raw?.adminPort ?? raw?.port ?? 5432,
    },
    egressCidrs: raw?.egressCidrs ?? [],
    adminUser: raw?.adminUser ?? "postgres",
    sslmode: raw?.sslmode ?? "require",
    database: raw?.database ?? "postgres",
    superuser: raw?.superuser ?? true,
    provider: raw?.provider ?? "postgresql",
  };
}

export function resolveObjectStore(raw: RawObjectStore | undefined): PlatformConfig["objectStore"] {
  const endpoint = raw?.endpoint ?? "http://localhost:9000";
  const url = new URL(endpoint);
  const useSsl = url.protocol === "https:";
  const adminEndpoint = raw?.adminEndpoint ?? endpoint;
  const adminUrl = new URL(adminEndpoint);
  const adminSsl = adminUrl.protocol === "https:";
  return {
    endpoint,
    bucket: raw?.bucket ?? "spark-logs",
    region: raw?.region ?? "us-east-1",
    createBucket: raw?.createBucket ?? true,
    provider: raw?.provider ?? "aws",
    host: url.hostname,
    port: url.port ? Number(url.port) : useSsl ? 443 : 80,
    useSsl,
    admin: {
      endpoint: adminEndpoint,
      host: adminUrl.hostname,
      port: adminUrl.port ? Number(adminUrl.port) : adminSsl ? 443 : 80,
      useSsl: adminSsl,
    },
    egressCidrs: raw?.egressCidrs ?? [],
  };
}

export function resolveKubernetes(raw: RawKubernetes | undefined): PlatformConfig["kubernetes"] {
  return {
    ...(raw?.context !== undefined ? { context: raw.context } : {}),
    ...(raw?.kubeconfig !== undefined ? { kubeconfig: raw.kubeconfig } : {}),
    ...(raw?.renderYamlToDirectory !== undefined
      ? { renderYamlToDirectory: raw.renderYamlToDirectory }
      : {}),
    apiServerPort: raw?.apiServerPort ?? 443,
    apiServerCidrs: raw?.apiServerCidrs ?? [],
  };
}

/** Maven Central: the default repository of the jar downloads. */
export const MAVEN_CENTRAL = "https://repo1.maven.org/maven2";

export function resolveJars(raw: RawJars | undefined): PlatformConfig["jars"] {
  const repository = (raw?.repository ?? MAVEN_CENTRAL).replace(/\/+$/, "");
  const url = new URL(repository);
  return {
    repository,
    source: raw?.source ?? "download",
    egressCidrs: raw?.egressCidrs ?? [],
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80,
  };
}

/** Monitoring stays absent unless configured; PodMonitors are on once it is. */
export function resolveMonitoring(raw: RawMonitoring | undefined): PlatformConfig["monitoring"] {
  if (raw === undefined) return undefined;
  return { namespace: raw.namespace, podMonitors: raw.podMonitors ?? true };
}

export function resolveBenchmark(raw: RawBenchmark | undefined): PlatformConfig["benchmark"] {
  return {
    enabled: raw?.enabled ?? false,
    rows: raw?.rows ?? 1_000_000,
    partitions: raw?.partitions ?? 8,
    ...(raw?.image !== undefined ? { image: raw.image } : {}),
  };
}

export function resolveJob(raw: RawJob): JobConfig {
  return {
    id: raw.id,
    release: raw.release,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    ...(raw.owner !== undefined ? { owner: raw.owner } : {}),
    pilot: raw.pilot ?? false,
  };
}

/**
 * A release's placement: the keys that say something, as given (selectors included: the
 * platform adds none of its own, so nothing it renders can select another release's pods
 * unless the user's own selector does). Empty lists and maps are dropped.
 */
export function resolvePlacement(raw: RawPlacement | undefined): PodPlacement {
  const nodeSelector = raw?.nodeSelector ?? {};
  return {
    ...(Object.keys(nodeSelector).length ? { nodeSelector } : {}),
    ...(raw?.tolerations?.length ? { tolerations: raw.tolerations } : {}),
    ...(raw?.affinity && Object.keys(raw.affinity).length ? { affinity: raw.affinity } : {}),
    ...(raw?.topologySpreadConstraints?.length
      ? { topologySpreadConstraints: raw.topologySpreadConstraints }
      : {}),
    ...(raw?.priorityClassName !== undefined ? { priorityClassName: raw.priorityClassName } : {}),
  };
}

/** Size of the master's recovery claim: a few files per worker and application. */
export const DEFAULT_MASTER_RECOVERY_SIZE = "128Mi";

/**
 * A release's granted client namespaces, in config order. Entries that would not read as
 * one NetworkPolicy peer and one admission rule each are refused: a namespace listed twice
 * (which entry's ServiceAccounts would count?), a ServiceAccount listed twice. The rules
 * that depend on other releases (a namespace holding a release) are in clients.ts.
 */
export function resolveClients(
  raw: readonly RawClient[],
  at: (...path: PropertyKey[]) => string,
  problem: (key: string, message: string) => void,
): ClientGrant[] {
  const firstEntry = new Map<string, number>();
  return raw.map((client, index) => {
    const previous = firstEntry.get(client.namespace);
    if (previous !== undefined) {
      problem(
        at(index, "namespace"),
        `namespace ${client.namespace} is listed twice (also clients[${previous}]); give it one entry listing all its ServiceAccounts`,
      );
    } else {
      firstEntry.set(client.namespace, index);
    }
    const seen = new Set<string>();
    (client.serviceAccounts ?? []).forEach((account, position) => {
      if (seen.has(account)) {
        problem(
          at(index, "serviceAccounts", position),
          `ServiceAccount ${account} is listed twice`,
        );
      }
      seen.add(account);
    });
    return {
      index,
      namespace: client.namespace,
      ...(client.serviceAccounts ? { serviceAccounts: [...client.serviceAccounts] } : {}),
      createNamespace: client.createNamespace ?? false,
    };
  });
}

export function resolveRelease(
  raw: RawRelease,
  index: number,
  layout: PlatformConfig["namespaceLayout"],
  sharedNamespace: string,
  bucket: string,
  issues: ConfigIssue[],
): ReleaseConfig | undefined {
  const at = (...path: PropertyKey[]) => configKey(["releases", index, ...path]);
  const problem = (key: string, message: string) =>
    issues.push({ key, message, releases: [raw.name] });
  const before = issues.length;

  if (raw.name.length > MAX_RELEASE_NAME_LENGTH) {
    problem(
      at("name"),
      `is ${raw.name.length} characters; at most ${MAX_RELEASE_NAME_LENGTH} keep every derived Kubernetes name within 63`,
    );
  }
  const line = sparkLineOf(raw.sparkVersion);
  if (!line) {
    problem(
      at("sparkVersion"),
      `${raw.sparkVersion} is not supported; supported: ${supportedVersionsText()}`,
    );
  } else if (!line.modes.includes(raw.mode)) {
    problem(
      at("mode"),
      `${raw.mode} is not supported for Spark ${line.line}.x (supported: ${line.modes.join(", ")})`,
    );
  }
  if (raw.standalone && raw.mode !== "standalone") {
    problem(at("standalone"), "is only valid with mode: standalone");
  }
  if (raw.connect && raw.mode !== "connect") {
    problem(at("connect"), "is only valid with mode: connect");
  }
  if (raw.namespace !== undefined && layout === "shared") {
    problem(
      at("namespace"),
      `is only valid with namespaceLayout: perRelease (shared layout puts every release in ${sharedNamespace})`,
    );
  }
  if (raw.serviceAccountName === "default") {
    problem(at("serviceAccountName"), "must not be the namespace's default ServiceAccount");
  }
  const dynamic = raw.connect?.dynamicAllocation;
  if (dynamic && (dynamic.minExecutors ?? 0) > (dynamic.maxExecutors ?? 4)) {
    problem(at("connect", "dynamicAllocation", "minExecutors"), "must not exceed maxExecutors");
  }
  const standaloneMemory = standaloneExecutorMemory(raw.standalone);
  if (standaloneMemory.executorMiB > standaloneMemory.workerMiB) {
    problem(
      at("standalone", "executorMemory"),
      `${raw.standalone?.executorMemory} is more than a worker offers (workerMemory ${raw.standalone?.workerMemory ?? DEFAULT_WORKER_MEMORY}): an application asking for it would wait for resources forever`,
    );
  }
  const rollingMaxFileSize = raw.historyServer?.rollingMaxFileSize;
  if (rollingMaxFileSize !== undefined && raw.mode !== "connect") {
    problem(
      at("historyServer", "rollingMaxFileSize"),
      "is only valid with mode: connect (a standalone application's event log is complete, and readable, when the application ends)",
    );
  } else if (
    rollingMaxFileSize !== undefined &&
    line &&
    sizeToMiB(rollingMaxFileSize) < line.eventLogRollingMinMiB
  ) {
    problem(
      at("historyServer", "rollingMaxFileSize"),
      `${rollingMaxFileSize} is below ${line.eventLogRollingMinMiB}m, the smallest spark.eventLog.rolling.maxFileSize Spark ${line.line} accepts (the Connect server would not start)`,
    );
  }
  const clients = resolveClients(raw.clients ?? [], (...path) => at("clients", ...path), problem);
  if (issues.length > before || !line) return undefined;

  const database = raw.hiveMetastore?.database ?? defaultMetastoreDatabase(raw.name);
  const prefix = raw.historyServer?.prefix ?? defaultEventLogPrefix(raw.name);
  const warehousePrefix = raw.warehousePrefix ?? defaultWarehousePrefix(raw.name);
  const image = raw.image ?? defaultSparkImage(raw.sparkVersion);
  const base = {
    name: raw.name,
    index,
    sparkVersion: raw.sparkVersion,
    line,
    mode: raw.mode,
    image,
    namespace: layout === "shared" ? sharedNamespace : (raw.namespace ?? raw.name),
    names: releaseNames(raw.name, raw.serviceAccountName),
    decommissioned: raw.decommissioned ?? false,
    warehousePrefix,
    warehouseDir: `s3a://${bucket}/${warehousePrefix}`,
    metastore: {
      enabled: raw.hiveMetastore?.enabled ?? true,
      database,
      role: raw.hiveMetastore?.role ?? database,
      image: raw.hiveMetastore?.image ?? defaultHiveMetastoreImage(raw.sparkVersion),
      hiveVersion: line.hiveMetastoreVersion,
      heapMiB: sizeToMiB(raw.hiveMetastore?.heapMemory ?? "1g"),
    },
    history: {
      enabled: raw.historyServer?.enabled ?? true,
      prefix,
      eventLogDir: `s3a://${bucket}/${prefix}`,
      image: raw.historyServer?.image ?? image,
      heapMiB: sizeToMiB(raw.historyServer?.heapMemory ?? "1g"),
      storeMiB: memoryToMiB(raw.historyServer?.storeSize ?? "1Gi"),
      // The smallest roll Spark accepts: a file closes, and a finished job becomes readable
      // on S3, after the fewest events (docs/migration-runbook.md#connect-jobs-while-the-server-runs).
      ...(raw.mode === "connect"
        ? {
            rollingMaxFileSizeMiB: sizeToMiB(
              rollingMaxFileSize ?? `${line.eventLogRollingMinMiB}m`,
            ),
          }
        : {}),
    },
    sparkConf: raw.sparkConf ?? {},
    placement: resolvePlacement(raw.placement),
    clients,
  };
  if (raw.mode === "standalone") {
    return {
      ...base,
      standalone: {
        workers: raw.standalone?.workers ?? 2,
        workerCores: raw.standalone?.workerCores ?? 2,
        workerCpuRequest:
          raw.standalone?.workerCpuRequest ?? String(raw.standalone?.workerCores ?? 2),
        workerMemoryMiB: standaloneMemory.workerMiB,
        executorMemoryMiB: standaloneMemory.executorMiB,
        daemonMemoryMiB: sizeToMiB(raw.standalone?.daemonMemory ?? "1g"),
        localDirMiB: memoryToMiB(raw.standalone?.localDirSize ?? "2Gi"),
        workDirMiB: memoryToMiB(raw.standalone?.workDirSize ?? "1Gi"),
        recovery: {
          enabled: raw.standalone?.recovery?.enabled ?? true,
          ...(raw.standalone?.recovery?.storageClassName !== undefined
            ? { storageClassName: raw.standalone.recovery.storageClassName }
            : {}),
          size: raw.standalone?.recovery?.size ?? DEFAULT_MASTER_RECOVERY_SIZE,
        },
      },
    };
  }
  return {
    ...base,
    connect: {
      driverCores: raw.connect?.driverCores ?? 1,
      driverCpuRequest: raw.connect?.driverCpuRequest ?? String(raw.connect?.driverCores ?? 1),
      driverMemoryMiB: sizeToMiB(raw.connect?.driverMemory ?? "2g"),
      executorInstances: raw.connect?.executorInstances ?? 2,
      executorCores: raw.connect?.executorCores ?? 1,
      executorMemoryMiB: sizeToMiB(raw.connect?.executorMemory ?? "4g"),
      executorCpuRequest:
        raw.connect?.executorCpuRequest ?? String(raw.connect?.executorCores ?? 1),
      localDirMiB: memoryToMiB(raw.connect?.localDirSize ?? "1Gi"),
      executorLocalDirMiB: memoryToMiB(raw.connect?.executorLocalDirSize ?? "2Gi"),
      tlsImage: raw.connect?.tlsImage ?? DEFAULT_CONNECT_TLS_IMAGE,
      dynamicAllocation: {
        enabled: dynamic?.enabled ?? false,
        minExecutors: dynamic?.minExecutors ?? 0,
        maxExecutors: dynamic?.maxExecutors ?? 4,
      },
    },
  };
}

const DEFAULT_WORKER_MEMORY = "4g";
/** Spark's own default spark.executor.memory (1g). */
const SPARK_DEFAULT_EXECUTOR_MIB = 1024;

/**
 * A standalone release's worker memory and the executor memory its spark-defaults set:
 * `standalone.executorMemory`, else Spark's 1g default capped at the worker's memory (a
 * small worker would otherwise never fit an application that does not size itself).
 * Both sizes have passed the schema.
 */
function standaloneExecutorMemory(raw: { workerMemory?: string; executorMemory?: string } = {}): {
  workerMiB: number;
  executorMiB: number;
} {
  const workerMiB = sizeToMiB(raw.workerMemory ?? DEFAULT_WORKER_MEMORY);
  const executorMiB =
    raw.executorMemory !== undefined
      ? sizeToMiB(raw.executorMemory)
      : Math.min(SPARK_DEFAULT_EXECUTOR_MIB, workerMiB);
  return { workerMiB, executorMiB };
}
