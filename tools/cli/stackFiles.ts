import { existsSync } from "node:fs";
import { join } from "node:path";
import type { RawConfig } from "../../lib/config/model";
import { formatIssue, parsePlatformConfig } from "../../lib/config/parse";
import { rawConfigFromStackFile, SECRET_PLACEHOLDER } from "../../lib/config/sources";
import type { PlatformConfig } from "../../lib/config/model";
import type { PlatformSecrets } from "../../platform/platform";

/** Project root (scripts run from anywhere). */
export const PROJECT_ROOT = join(__dirname, "..", "..");

export function stackFilePath(stack: string): string {
  return join(PROJECT_ROOT, `Pulumi.${stack}.yaml`);
}

/** Reads and validates a stack file, or prints every problem and exits 1. */
export function loadStackOrExit(file: string): { raw: RawConfig; config: PlatformConfig } {
  if (!existsSync(file)) {
    console.error(`${file}: no such stack file`);
    process.exit(1);
  }
  let raw: RawConfig;
  try {
    raw = rawConfigFromStackFile(file);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const result = parsePlatformConfig(raw);
  if (!result.ok) {
    for (const issue of result.issues) console.error(formatIssue(issue));
    process.exit(1);
  }
  return { raw, config: result.config };
}

/** Secrets that stand in for encrypted values when evaluating without a passphrase. */
export const PLACEHOLDER_SECRETS: PlatformSecrets = {
  postgresAdminPassword: SECRET_PLACEHOLDER,
  objectStoreAccessKey: SECRET_PLACEHOLDER,
  objectStoreSecretKey: SECRET_PLACEHOLDER,
};
