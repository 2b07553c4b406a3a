import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, RawConfig } from "../lib/config/model";
import { formatIssue, parsePlatformConfig } from "../lib/config/parse";
import { rawConfigFromRuntime } from "../lib/config/sources";
import type { MetastoreCredentials, PlatformOutputs } from "../lib/contract/outputs";
import { deployPlatform, type PlatformSecrets } from "./platform";

/** The stack's exports: plain outputs for other stacks, credentials only as a secret. */
export interface StackExports extends PlatformOutputs {
  readonly metastoreCredentials: pulumi.Output<Record<string, MetastoreCredentials>>;
}

/** Validates configuration, refusing it as a whole before any resource is registered. */
export function validatedConfig(raw: RawConfig): PlatformConfig {
  const result = parsePlatformConfig(raw);
  if (!result.ok) {
    const lines = result.issues.map((issue) => `  - ${formatIssue(issue)}`);
    throw new pulumi.RunError(
      `spark-platform: the stack configuration is invalid; nothing was created:\n${lines.join("\n")}`,
    );
  }
  return result.config;
}

/** The whole program, as a function of raw configuration and secrets (tests call it directly). */
export function platformProgram(raw: RawConfig, secrets: PlatformSecrets): StackExports {
  const config = validatedConfig(raw);
  const platform = deployPlatform(config, secrets);
  return {
    releases: platform.outputs.releases,
    jobRouting: platform.outputs.jobRouting,
    namespaces: platform.outputs.namespaces,
    objectStore: platform.outputs.objectStore,
    ...(platform.outputs.notebooks ? { notebooks: platform.outputs.notebooks } : {}),
    metastoreCredentials: platform.metastoreCredentials,
  };
}

/** Reads the running stack's configuration and secrets. */
export function runtimeProgram(): StackExports {
  // isConfigSecret is internal to the SDK but is the only way to tell a secret key apart.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const runtimeConfig = require("@pulumi/pulumi/runtime/config") as {
    isConfigSecret: (key: string) => boolean;
  };
  const raw = rawConfigFromRuntime(pulumi.runtime.allConfig(), runtimeConfig.isConfigSecret);
  const config = new pulumi.Config("spark-platform");
  const secret = (key: string) => config.getSecret(key);
  const postgresAdminPassword = secret("postgresAdminPassword");
  return platformProgram(raw, {
    ...(postgresAdminPassword ? { postgresAdminPassword } : {}),
    objectStoreAccessKey: secret("objectStoreAccessKey") ?? "",
    objectStoreSecretKey: secret("objectStoreSecretKey") ?? "",
  });
}
