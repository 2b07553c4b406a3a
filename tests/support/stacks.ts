import type { PlatformConfig, RawConfig } from "../../lib/config/model";
import { parsePlatformConfig } from "../../lib/config/parse";
import { rawConfigFromStackFile } from "../../lib/config/sources";
import { PLACEHOLDER_SECRETS, stackFilePath } from "../../tools/cli/stackFiles";
import * as pulumi from "@pulumi/pulumi";
import {
  evaluateProgram,
  resolve,
  type Evaluation,
  type RegisteredResource,
} from "../../tools/render/evaluate";
import { RENDER_DIGEST_KEY } from "../../tools/render/mocks";
import type { KubeManifest } from "../../lib/kube/objects";
import { kubernetesManifests } from "../../tools/render/render";

/** A stack evaluated under mocks: its config, every registered resource and the manifests. */
export interface RenderedStack {
  readonly config: PlatformConfig;
  readonly evaluation: Evaluation;
  readonly resources: readonly RegisteredResource[];
  readonly manifests: readonly KubeManifest[];
}

/** Parses raw config that a test expects to be valid. */
export function parseValid(raw: RawConfig): PlatformConfig {
  const result = parsePlatformConfig(raw);
  if (!result.ok) {
    throw new Error(
      `expected valid config, got:\n${result.issues.map((i) => `${i.key}: ${i.message}`).join("\n")}`,
    );
  }
  return result.config;
}

/** Raw config with the three credentials present as secrets. */
export function rawConfig(values: Record<string, unknown>): RawConfig {
  return {
    values: {
      postgresAdminPassword: "admin-secret",
      objectStoreAccessKey: "access-secret",
      objectStoreSecretKey: "secret-secret",
      ...values,
    },
    secretKeys: new Set(["postgresAdminPassword", "objectStoreAccessKey", "objectStoreSecretKey"]),
  };
}

/** The smallest valid two-release configuration, for tests to vary one key at a time. */
export function baseValues(): Record<string, unknown> {
  return {
    namespaceLayout: "shared",
    sharedNamespace: "spark",
    postgres: {
      host: "postgresql.spark-infra.svc",
      port: 5432,
      adminUser: "postgres",
      sslmode: "disable",
    },
    objectStore: {
      endpoint: "http://minio.spark-infra.svc:9000",
      bucket: "spark-logs",
      region: "us-east-1",
    },
    releases: [
      {
        name: "spark-35",
        sparkVersion: "3.5.7",
        mode: "standalone",
        hiveMetastore: { enabled: true, database: "metastore_spark35" },
        historyServer: { enabled: true, prefix: "3.5/events" },
        standalone: { workers: 2, workerCores: 2, workerMemory: "4g" },
      },
      {
        name: "spark-41",
        sparkVersion: "4.1.0",
        mode: "connect",
        hiveMetastore: { enabled: true, database: "metastore_spark41" },
        historyServer: { enabled: true, prefix: "4.1/events" },
      },
    ],
  };
}

/** Evaluates raw config under mocks (sequentially: mocks are process-global). */
export async function renderRaw(raw: RawConfig, stack = "test"): Promise<RenderedStack> {
  const config = parseValid(raw);
  const evaluation = await evaluateProgram(raw, PLACEHOLDER_SECRETS, stack);
  return {
    config,
    evaluation,
    resources: evaluation.resources,
    manifests: kubernetesManifests(evaluation.resources),
  };
}

const cache = new Map<string, Promise<RenderedStack>>();

/** A committed stack, evaluated once per test run. */
export function renderStack(
  stack: "dev" | "prod" | "local" | "local-prod",
): Promise<RenderedStack> {
  let rendered = cache.get(stack);
  if (!rendered) {
    rendered = renderRaw(rawConfigFromStackFile(stackFilePath(stack)), stack);
    cache.set(stack, rendered);
  }
  return rendered;
}

/** Manifests of one kind. */
export function ofKind<T = KubeManifest>(manifests: readonly KubeManifest[], kind: string): T[] {
  return manifests.filter((m) => m.kind === kind) as unknown as T[];
}

/** A committed stack with `spark-platform:monitoring` set as given, evaluated under mocks. */
export function renderWithMonitoring(
  stack: "dev" | "prod",
  monitoring: Record<string, unknown> = { namespace: "monitoring" },
): Promise<RenderedStack> {
  const raw = rawConfigFromStackFile(stackFilePath(stack));
  return renderRaw({ ...raw, values: { ...raw.values, monitoring } }, stack);
}

/** A committed stack evaluated with a given Spark authentication key, and what it exports. */
export interface KeyedEvaluation {
  readonly evaluation: Evaluation;
  readonly exported: Record<string, unknown>;
  /** Every registered resource and every export, as one JSON text to search for a value. */
  readonly everything: string;
}

/**
 * Evaluates a committed stack with `authKey` as the stack's Spark authentication key (so a
 * test knows every secret derived from it) and resolves its exports.
 */
export async function evaluateWithAuthKey(
  stack: "dev" | "prod" | "local" | "local-prod",
  authKey: string,
): Promise<KeyedEvaluation> {
  const evaluation = await evaluateProgram(
    rawConfigFromStackFile(stackFilePath(stack)),
    PLACEHOLDER_SECRETS,
    stack,
    RENDER_DIGEST_KEY,
    authKey,
  );
  const exported = (await resolve(
    pulumi.all(evaluation.exports as unknown as Record<string, pulumi.Output<unknown>>),
  )) as Record<string, unknown>;
  return { evaluation, exported, everything: JSON.stringify([evaluation.resources, exported]) };
}
