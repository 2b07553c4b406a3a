import type { z } from "zod";
import {
  defaultEventLogPrefix,
  defaultMetastoreDatabase,
  defaultWarehousePrefix,
  MAX_RELEASE_NAME_LENGTH,
  releaseNames,
} from "../naming/names";
import { memoryToMiB, sizeToMiB } from "../units/sizes";
import {
  defaultHiveMetastoreImage,
  defaultSparkImage,
  sparkLineOf,
  supportedVersionsText,
} from "../spark/versions";
import { benchmarkIssues } from "./benchmark";
import { findIsolationIssues } from "./isolation";
import type { ConfigIssue, JobConfig, PlatformConfig, RawConfig, ReleaseConfig } from "./model";
import {
  SECRET_KEYS,
  TOP_LEVEL_KEYS,
  type RawBenchmark,
  type RawJars,
  type RawJob,
  type RawKubernetes,
  type RawObjectStore,
  type RawPodSecurity,
  type RawPostgres,
  type RawRelease,
  type TopLevelKey,
} from "./schema";

export const CONFIG_NAMESPACE = "spark-platform";

export type ParseResult =
  | { readonly ok: true; readonly config: PlatformConfig }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

/** `releases[1].historyServer.prefix` -> `spark-platform:releases[1].historyServer.prefix`. */
export function configKey(path: readonly PropertyKey[]): string {
  let key = `${CONFIG_NAMESPACE}:`;
  path.forEach((part, i) => {
    if (typeof part === "number") key += `[${part}]`;
    else key += i === 0 ? String(part) : `.${String(part)}`;
  });
  return key;
}

/** Name of the release a schema path points into, if it can be read. */
function releaseAt(
  values: Readonly<Record<string, unknown>>,
  path: readonly PropertyKey[],
): string[] {
  if (path[0] !== "releases" || typeof path[1] !== "number") return [];
  const releases = values["releases"];
  if (!Array.isArray(releases)) return [];
  const entry: unknown = releases[path[1]];
  if (
    entry &&
    typeof entry === "object" &&
    typeof (entry as { name?: unknown }).name === "string"
  ) {
    return [(entry as { name: string }).name];
  }
  return [];
}

function schemaIssues(
  key: TopLevelKey,
  error: z.ZodError,
  values: Readonly<Record<string, unknown>>,
): ConfigIssue[] {
  return error.issues.flatMap((issue) => {
    const path = [key, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((unknownKey) => ({
        key: configKey([...path, unknownKey]),
        message: "unknown key (misspelt or not supported); it would silently match nothing",
        releases: releaseAt(values, path),
      }));
    }
    return [{ key: configKey(path), message: issue.message, releases: releaseAt(values, path) }];
  });
}

/**
 * Validates and resolves raw stack configuration. Pure: the same function serves
 * `pulumi up` (runtime config), `npm run check-config` and `npm run render` (stack files),
 * so all three refuse exactly the same configurations.
 */
export function parsePlatformConfig(raw: RawConfig): ParseResult {
  const issues: ConfigIssue[] = [];
  const parsed: Partial<Record<TopLevelKey, unknown>> = {};

  for (const [key, value] of Object.entries(raw.values)) {
    if (!(key in TOP_LEVEL_KEYS)) {
      issues.push({
        key: configKey([key]),
        message: `unknown key (known keys: ${Object.keys(TOP_LEVEL_KEYS).join(", ")})`,
        releases: [],
      });
      continue;
    }
    const topKey = key as TopLevelKey;
    const result = TOP_LEVEL_KEYS[topKey].safeParse(value);
    if (result.success) parsed[topKey] = result.data;
    else issues.push(...schemaIssues(topKey, result.error, raw.values));
  }

  for (const key of raw.providerKeys ?? []) {
    issues.push({
      key,
      message:
        "configures a default provider the platform never uses (it creates explicit providers); use spark-platform:kubernetes, spark-platform:postgres or spark-platform:objectStore",
      releases: [],
    });
  }
  for (const key of SECRET_KEYS) {
    if (key in raw.values && !raw.secretKeys.has(key)) {
      issues.push({
        key: configKey([key]),
        message: `holds a credential in plain text; set it with \`pulumi config set --secret ${key}\``,
        releases: [],
      });
    }
  }
  if (issues.length > 0) return { ok: false, issues };

  const releasesRaw = (parsed.releases as RawRelease[] | undefined) ?? [];
  if (releasesRaw.length > 0) {
    const needsPostgres = releasesRaw.some((r) => r.hiveMetastore?.enabled !== false);
    const required: [TopLevelKey, boolean][] = [
      ["postgres", needsPostgres],
      ["postgresAdminPassword", needsPostgres],
      ["objectStore", true],
      ["objectStoreAccessKey", true],
      ["objectStoreSecretKey", true],
    ];
    for (const [key, isRequired] of required) {
      if (isRequired && parsed[key] === undefined) {
        const isSecret = (SECRET_KEYS as readonly string[]).includes(key);
        issues.push({
          key: configKey([key]),
          message: isSecret
            ? `is required; set it with \`pulumi config set --secret ${key}\``
            : "is required",
          releases: [],
        });
      }
    }
  }
  const jarsRaw = parsed.jars as RawJars | undefined;
  if (jarsRaw?.source === "image") {
    for (const key of ["repository", "egressCidrs"] as const) {
      if (jarsRaw[key] !== undefined) {
        issues.push({
          key: configKey(["jars", key]),
          message:
            "configures the jar download, which jars.source: image turns off; remove it or use source: download",
          releases: [],
        });
      }
    }
  }
  if (issues.length > 0) return { ok: false, issues };

  const objectStore = resolveObjectStore(parsed.objectStore as RawObjectStore | undefined);
  const layout = (parsed.namespaceLayout as PlatformConfig["namespaceLayout"]) ?? "shared";
  const sharedNamespace = (parsed.sharedNamespace as string | undefined) ?? "spark";

  const releases: ReleaseConfig[] = [];
  releasesRaw.forEach((release, index) => {
    const resolved = resolveRelease(
      release,
      index,
      layout,
      sharedNamespace,
      objectStore.bucket,
      issues,
    );
    if (resolved) releases.push(resolved);
  });
  const jobs = ((parsed.jobs as RawJob[] | undefined) ?? []).map(resolveJob);
  const postgres = resolvePostgres(parsed.postgres as RawPostgres | undefined);

  const config: PlatformConfig = {
    namespaceLayout: layout,
    sharedNamespace,
    podSecurity: resolvePodSecurity(parsed.podSecurity as RawPodSecurity | undefined),
    protectData: (parsed.protectData as boolean | undefined) ?? false,
    postgres,
    objectStore,
    kubernetes: resolveKubernetes(parsed.kubernetes as RawKubernetes | undefined),
    releases,
    jobs,
    benchmark: resolveBenchmark(parsed.benchmark as RawBenchmark | undefined),
    jars: resolveJars(parsed.jars as RawJars | undefined),
  };
  if (issues.length > 0) return { ok: false, issues };

  const isolationIssues = [...findIsolationIssues(config, raw.values), ...benchmarkIssues(config)];
  if (isolationIssues.length > 0) return { ok: false, issues: isolationIssues };
  return { ok: true, config };
}

function resolvePodSecurity(raw: RawPodSecurity | undefined): PlatformConfig["podSecurity"] {
  return {
    enforce: raw?.enforce ?? "restricted",
    warn: raw?.warn ?? "restricted",
    audit: raw?.audit ?? "restricted",
  };
}

function resolvePostgres(raw: RawPostgres | undefined): PlatformConfig["postgres"] {
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

function resolveObjectStore(raw: RawObjectStore | undefined): PlatformConfig["objectStore"] {
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

function resolveKubernetes(raw: RawKubernetes | undefined): PlatformConfig["kubernetes"] {
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

function resolveJars(raw: RawJars | undefined): PlatformConfig["jars"] {
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

function resolveBenchmark(raw: RawBenchmark | undefined): PlatformConfig["benchmark"] {
  return {
    enabled: raw?.enabled ?? false,
    rows: raw?.rows ?? 1_000_000,
    partitions: raw?.partitions ?? 8,
    ...(raw?.image !== undefined ? { image: raw.image } : {}),
  };
}

function resolveJob(raw: RawJob): JobConfig {
  return {
    id: raw.id,
    release: raw.release,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    ...(raw.owner !== undefined ? { owner: raw.owner } : {}),
    pilot: raw.pilot ?? false,
  };
}

function resolveRelease(
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
    },
    sparkConf: raw.sparkConf ?? {},
  };
  if (raw.mode === "standalone") {
    return {
      ...base,
      standalone: {
        workers: raw.standalone?.workers ?? 2,
        workerCores: raw.standalone?.workerCores ?? 2,
        workerCpuRequest:
          raw.standalone?.workerCpuRequest ?? String(raw.standalone?.workerCores ?? 2),
        workerMemoryMiB: sizeToMiB(raw.standalone?.workerMemory ?? "4g"),
        daemonMemoryMiB: sizeToMiB(raw.standalone?.daemonMemory ?? "1g"),
        localDirMiB: memoryToMiB(raw.standalone?.localDirSize ?? "2Gi"),
        workDirMiB: memoryToMiB(raw.standalone?.workDirSize ?? "1Gi"),
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
      dynamicAllocation: {
        enabled: dynamic?.enabled ?? false,
        minExecutors: dynamic?.minExecutors ?? 0,
        maxExecutors: dynamic?.maxExecutors ?? 4,
      },
    },
  };
}

/** One line per issue, as `check-config` and the program print them. */
export function formatIssue(issue: ConfigIssue): string {
  const releases = issue.releases.length > 0 ? ` [releases: ${issue.releases.join(", ")}]` : "";
  return `${issue.key}: ${issue.message}${releases}`;
}
