// What the toolchain tells its users (scripts/pulumi-env.sh, scripts/minio-local.sh, the
// engine workspace, the cluster's services): PATH entries and the provider plugins built.
import { accessSync, constants } from "node:fs";
import * as path from "node:path";
import type { ToolchainLayout } from "./layout";

/**
 * PATH entries, colon-separated: the CLI directory (which also holds the language host and
 * the dynamic provider host, see bundled.ts) and the MinIO server. Provider plugins are
 * deliberately not on PATH: the engine would use them whatever version a program asks for,
 * with a warning on every run; scripts/pulumi-env.sh installs them into PULUMI_HOME instead.
 */
export function pathEntries(l: ToolchainLayout): string {
  return `${l.cliDir}:${l.minioServerDir}`;
}

export interface ProviderPlugin {
  readonly name: string;
  readonly version: string;
  readonly binary: string;
}

/** Where each provider plugin's binary is (or would be) in the cache. */
export function providerPlugins(l: ToolchainLayout): ProviderPlugin[] {
  return [
    ["kubernetes", l.k8sVersion, l.k8sDir],
    ["postgresql", l.postgresqlVersion, l.postgresqlDir],
    ["minio", l.minioProviderVersion, l.minioProviderDir],
  ].map(([name, version, dir]) => ({
    name: name as string,
    version: version as string,
    binary: path.join(dir as string, `pulumi-resource-${name}`),
  }));
}

/** May the current user execute `file` (the shell's `[[ -x file ]]`)? */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** "resource <name> <version> <binary>" for each provider plugin present in the cache. */
export function pluginLines(
  l: ToolchainLayout,
  executable: (file: string) => boolean = isExecutable,
): string[] {
  return providerPlugins(l)
    .filter((p) => executable(p.binary))
    .map((p) => `resource ${p.name} ${p.version} ${p.binary}`);
}
