import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { CONFIG_NAMESPACE } from "../../lib/config/parse";

/**
 * Pure decisions of the real-engine harness (scripts/engine.ts, tests/integration):
 * which providers must be replaced on this machine, and the workspace's Pulumi.yaml and
 * Pulumi.<stack>.yaml generated from the committed stack file (never modified).
 */

/** Secrets the platform reads; the harness sets them with `pulumi config set --secret`. */
export const SECRET_KEYS = [
  "postgresAdminPassword",
  "objectStoreAccessKey",
  "objectStoreSecretKey",
] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

/** The local stand-ins for the stack's backends (scripts/postgres-local.sh, minio-local.sh). */
export interface LocalBackends {
  readonly postgresHost: string;
  readonly postgresPort: number;
  readonly objectStoreEndpoint: string;
  /** Where the kubernetes provider writes manifests instead of applying them. */
  readonly renderDir: string;
}

/** Bucket the platform's stacks use; kept for the offline run so outputs look alike. */
export const OFFLINE_BUCKET = "spark-logs";

/** `spark-platform:*` values (without namespace) that point the stack at local backends. */
export function offlineOverrides(backends: LocalBackends): Record<string, unknown> {
  return {
    postgres: {
      host: backends.postgresHost,
      port: backends.postgresPort,
      adminUser: "postgres",
      sslmode: "disable",
      provider: "dynamic",
    },
    objectStore: {
      endpoint: backends.objectStoreEndpoint,
      bucket: OFFLINE_BUCKET,
      region: "us-east-1",
      provider: "dynamic",
    },
    kubernetes: { renderYamlToDirectory: backends.renderDir },
  };
}

/**
 * The `spark-platform:*` overrides of a workspace stack file, in the order
 * preparePlatformStack applies them (local cluster, offline backends, the caller's). A
 * later layer replaces a whole top-level key: a caller's `kubernetes` (e.g. a benchmark's
 * renderYamlToDirectory) is taken as given, without the local cluster's kubeconfig.
 */
export function composeOverrides(
  ...layers: readonly (Readonly<Record<string, unknown>> | undefined)[]
): Record<string, unknown> {
  return Object.assign({}, ...layers.filter((layer) => layer !== undefined)) as Record<
    string,
    unknown
  >;
}

/** Provider plugins (`pulumi-resource-<name>`) a stack's config needs. */
export function requiredPlugins(values: Readonly<Record<string, unknown>>): string[] {
  const postgres = (values["postgres"] ?? {}) as { provider?: string };
  const objectStore = (values["objectStore"] ?? {}) as { provider?: string };
  const plugins = ["kubernetes"];
  if ((postgres.provider ?? "postgresql") === "postgresql") plugins.push("postgresql");
  const store = objectStore.provider ?? "aws";
  if (store !== "dynamic") plugins.push(store);
  return plugins;
}

/** Plugin names from `scripts/toolchain.sh --print-plugins` ("resource <name> <version> <bin>"). */
export function availablePlugins(printPluginsOutput: string): string[] {
  return printPluginsOutput
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 4 && fields[0] === "resource")
    .map((fields) => fields[1]!);
}

export interface BackendDecision {
  readonly offline: boolean;
  /** One line per replaced or missing provider, for the run's output. */
  readonly notes: readonly string[];
  /** Set when the run cannot work (a required plugin is missing and offline is refused). */
  readonly error?: string;
}

const REPLACEMENT: Record<string, string> = {
  postgresql:
    "postgresql -> local PostgreSQL through the platform's dynamic provider (lib/backends/postgres/dynamic.ts, real SQL)",
  aws: "aws (S3) -> local MinIO through the platform's dynamic provider (lib/backends/objectStore/dynamic.ts, real S3 API)",
  minio:
    "minio -> local MinIO through the platform's dynamic provider (lib/backends/objectStore/dynamic.ts, real S3 API)",
};

/**
 * Offline backends when asked for, or by default when a provider plugin the stack needs
 * is not in the toolchain (the Go module proxy here serves neither pulumi-postgresql nor
 * pulumi-aws/minio). `requested` is the --offline-backends / --no-offline-backends flag.
 */
export function decideBackends(
  requested: boolean | undefined,
  required: readonly string[],
  available: readonly string[],
): BackendDecision {
  const missing = required.filter((p) => !available.includes(p));
  if (missing.includes("kubernetes")) {
    return {
      offline: false,
      notes: [],
      error:
        "the kubernetes provider plugin is not in the toolchain: run scripts/toolchain.sh kubernetes",
    };
  }
  const replaced = required.filter((p) => p !== "kubernetes");
  const missingNote = missing.length
    ? `provider plugins not buildable here (not served by the Go module proxy): ${missing.join(", ")}`
    : "";
  if (requested === false) {
    if (missing.length) {
      return {
        offline: false,
        notes: [missingNote],
        error: `--no-offline-backends needs the plugins ${missing.join(", ")}; drop the flag to use local backends`,
      };
    }
    return { offline: false, notes: ["backends: the stack's own (postgres, objectStore)"] };
  }
  if (requested === undefined && missing.length === 0) {
    return { offline: false, notes: ["backends: the stack's own (postgres, objectStore)"] };
  }
  const why = requested ? "--offline-backends" : missingNote;
  return {
    offline: true,
    notes: [
      `offline backends (${why}):`,
      ...replaced.map((p) => `  ${REPLACEMENT[p] ?? p}`),
      "  kubernetes -> real provider with renderYamlToDirectory (manifests rendered, not applied: no cluster)",
    ],
  };
}

/**
 * The workspace's Pulumi.yaml: same project, program taken from the repository, run the
 * way the repository's own project file says (`committedProject`, its text).
 */
export function projectYaml(
  name: string,
  mainRelative: string,
  description: string,
  committedProject: string,
): string {
  const { runtime } = parseYaml(committedProject) as { runtime?: unknown };
  if (!runtime) throw new Error(`project ${name}: the committed Pulumi.yaml names no runtime`);
  return stringifyYaml({ name, description, runtime, main: mainRelative });
}

export interface StackFileInputs {
  /** Text of the committed Pulumi.<stack>.yaml. */
  readonly committed: string;
  /** The workspace's stack file from an earlier run, if any (its encryption salt is kept). */
  readonly previous?: string;
  /** `spark-platform:*` values that replace the committed ones (keys without namespace). */
  readonly overrides?: Readonly<Record<string, unknown>>;
  /**
   * Drop every `secure:` value of the committed file (offline runs set their own secrets:
   * the committed ones are placeholders or belong to another passphrase).
   */
  readonly dropSecrets: boolean;
}

type StackDocument = Record<string, unknown> & { config?: Record<string, unknown> };

function isSecure(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { secure?: unknown }).secure === "string"
  );
}

function containsSecure(value: unknown): boolean {
  if (isSecure(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecure);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsSecure);
  return false;
}

function mapping(text: string, what: string): StackDocument {
  const document: unknown = parseYaml(text) ?? {};
  if (typeof document !== "object" || Array.isArray(document)) {
    throw new Error(`${what}: expected a mapping with a 'config' key`);
  }
  const config = (document as StackDocument).config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new Error(`${what}: 'config' must be a mapping`);
  }
  return { ...(document as StackDocument), config: { ...config } };
}

/**
 * The workspace's Pulumi.<stack>.yaml. The secrets provider fields (encryptionsalt,
 * secretsprovider, encryptedkey) come from the previous workspace file when there is one,
 * because the stack in the backend was created with them; otherwise from the committed
 * file only when its secrets are kept (they were encrypted with them).
 */
export function workspaceStackYaml(inputs: StackFileInputs): string {
  const committed = mapping(inputs.committed, "committed stack file");
  const previous = inputs.previous ? mapping(inputs.previous, "workspace stack file") : undefined;
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(committed.config ?? {})) {
    if (inputs.dropSecrets && containsSecure(value)) continue;
    config[key] = value;
  }
  for (const [key, value] of Object.entries(inputs.overrides ?? {})) {
    config[`${CONFIG_NAMESPACE}:${key}`] = value;
  }
  const document: Record<string, unknown> = {};
  const secretFields = ["secretsprovider", "encryptedkey", "encryptionsalt"];
  const secretSource = previous ?? (inputs.dropSecrets ? undefined : committed);
  for (const field of secretFields) {
    const value = secretSource?.[field];
    if (typeof value === "string") document[field] = value;
  }
  for (const [field, value] of Object.entries(committed)) {
    if (field !== "config" && !secretFields.includes(field)) document[field] = value;
  }
  document["config"] = config;
  return stringifyYaml(document);
}

/** `spark-platform:*` values of a stack file (no secrets), for edits such as decommissioning. */
export function platformValues(stackYaml: string): Record<string, unknown> {
  const config = mapping(stackYaml, "stack file").config ?? {};
  const values: Record<string, unknown> = {};
  const prefix = `${CONFIG_NAMESPACE}:`;
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith(prefix) && !containsSecure(value)) values[key.slice(prefix.length)] = value;
  }
  return values;
}

/** Pulumi.<stack>.yaml of the example consumer; keeps the earlier file's secrets fields. */
export function consumerStackYaml(
  project: string,
  platformStack: string,
  jobs: readonly string[],
  podNamespace: string,
  previous?: string,
): string {
  const document: Record<string, unknown> = {};
  const earlier = previous ? mapping(previous, "consumer stack file") : undefined;
  for (const field of ["secretsprovider", "encryptedkey", "encryptionsalt"]) {
    const value = earlier?.[field];
    if (typeof value === "string") document[field] = value;
  }
  document["config"] = {
    [`${project}:platformStack`]: platformStack,
    [`${project}:jobs`]: [...jobs],
    [`${project}:podNamespace`]: podNamespace,
  };
  return stringifyYaml(document);
}
