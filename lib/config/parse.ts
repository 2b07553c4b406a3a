import type { z } from "zod";
import { benchmarkIssues } from "./benchmark";
import { clientIssues } from "./clients";
import { findIsolationIssues } from "./isolation";
import { configKey } from "./keys";
import { monitoringIssues } from "./monitoring";
import { notebookIssues, resolveNotebook } from "./notebooks";
import type { ConfigIssue, PlatformConfig, RawConfig, ReleaseConfig } from "./model";
import {
  resolveBenchmark,
  resolveJars,
  resolveJob,
  resolveKubernetes,
  resolveMonitoring,
  resolveObjectStore,
  resolvePodSecurity,
  resolvePostgres,
  resolveRelease,
} from "./resolve";
import {
  SECRET_KEYS,
  TOP_LEVEL_KEYS,
  type RawBenchmark,
  type RawJars,
  type RawJob,
  type RawKubernetes,
  type RawMonitoring,
  type RawNotebook,
  type RawObjectStore,
  type RawPodSecurity,
  type RawPostgres,
  type RawRelease,
  type TopLevelKey,
} from "./schema";

export { CONFIG_NAMESPACE, configKey } from "./keys";
export { MAVEN_CENTRAL } from "./resolve";

export type ParseResult =
  | { readonly ok: true; readonly config: PlatformConfig }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

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
    // A map key that fails its own rule (a label key): zod reports it as invalid_key with
    // the key's own problems nested; say those.
    const message =
      issue.code === "invalid_key" ? issue.issues.map((i) => i.message).join("; ") : issue.message;
    return [{ key: configKey(path), message, releases: releaseAt(values, path) }];
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

  const monitoring = resolveMonitoring(parsed.monitoring as RawMonitoring | undefined);
  const notebooks = ((parsed.notebooks as RawNotebook[] | undefined) ?? []).map((raw, index) =>
    resolveNotebook(raw, index, releases),
  );
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
    // Only when configured, so a stack without it resolves to exactly what it did before.
    ...(monitoring ? { monitoring } : {}),
    notebooks,
  };
  if (issues.length > 0) return { ok: false, issues };

  const isolationIssues = [
    ...findIsolationIssues(config, raw.values),
    ...benchmarkIssues(config),
    ...clientIssues(config),
    ...monitoringIssues(config),
    ...notebookIssues(config),
  ];
  if (isolationIssues.length > 0) return { ok: false, issues: isolationIssues };
  return { ok: true, config };
}

/** One line per issue, as `check-config` and the program print them. */
export function formatIssue(issue: ConfigIssue): string {
  const releases = issue.releases.length > 0 ? ` [releases: ${issue.releases.join(", ")}]` : "";
  return `${issue.key}: ${issue.message}${releases}`;
}
