// Where the toolchain lives: one directory per binary under the cache, keyed by version,
// and wrapper modules under <toolchain>/work, never inside the repository.
// Cache: ${SPARK_PLATFORM_TOOLCHAIN_DIR:-${SPARK_PLATFORM_CACHE_DIR:-$HOME/.cache/spark-platform}/toolchain}
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { cacheRoot } from "../../lib/cache/cacheRoot";
import {
  K8S_DEFAULT_VERSION,
  LANGHOST_PATCH,
  LANGHOST_SDK_VERSION,
  MINIO_PROVIDER_DEFAULT_VERSION,
  MINIO_REFLECT2_VERSION,
  MINIO_SERVER_VERSION,
  POSTGRESQL_DEFAULT_VERSION,
  PULUMI_VERSION,
} from "./versions";

/** The repository root (this file lives in <repo>/tools/toolchain). */
export const REPO_DIR = path.resolve(__dirname, "..", "..");

export interface ToolchainLayout {
  /** The toolchain cache. */
  readonly dir: string;
  /** <toolchain>/work: wrapper modules. */
  readonly workDir: string;
  readonly k8sVersion: string;
  readonly postgresqlVersion: string;
  readonly minioProviderVersion: string;
  /** The CLI, with the language host and the dynamic provider host next to it. */
  readonly cliDir: string;
  readonly langhostDir: string;
  readonly k8sDir: string;
  readonly postgresqlDir: string;
  readonly minioProviderDir: string;
  readonly minioServerDir: string;
}

/**
 * Version of an npm dependency in package.json's text (dependencies over devDependencies,
 * one leading ^, ~ and = stripped), or `fallback` when it is not there.
 */
export function npmDependencyVersion(
  packageJson: string | undefined,
  pkg: string,
  fallback: string,
): string {
  let version = "";
  try {
    const p = JSON.parse(packageJson ?? "") as {
      dependencies?: Record<string, unknown>;
      devDependencies?: Record<string, unknown>;
    };
    version = String({ ...p.devDependencies, ...p.dependencies }[pkg] || "");
  } catch {
    version = "";
  }
  for (const marker of ["^", "~", "="]) {
    if (version.startsWith(marker)) version = version.slice(1);
  }
  return version || fallback;
}

function readPackageJson(): string | undefined {
  try {
    return readFileSync(path.join(REPO_DIR, "package.json"), "utf8");
  } catch {
    return undefined;
  }
}

export function toolchainLayout(
  env: NodeJS.ProcessEnv = process.env,
  packageJson: string | undefined = readPackageJson(),
): ToolchainLayout {
  const dir = env.SPARK_PLATFORM_TOOLCHAIN_DIR || path.join(cacheRoot(env), "toolchain");
  const version = (override: string | undefined, pkg: string, fallback: string) =>
    override || npmDependencyVersion(packageJson, pkg, fallback);
  const k8sVersion = version(
    env.SPARK_PLATFORM_K8S_VERSION,
    "@pulumi/kubernetes",
    K8S_DEFAULT_VERSION,
  );
  const postgresqlVersion = version(
    env.SPARK_PLATFORM_POSTGRESQL_VERSION,
    "@pulumi/postgresql",
    POSTGRESQL_DEFAULT_VERSION,
  );
  const minioProviderVersion = version(
    env.SPARK_PLATFORM_MINIO_PROVIDER_VERSION,
    "@pulumi/minio",
    MINIO_PROVIDER_DEFAULT_VERSION,
  );
  const at = (name: string) => path.join(dir, name);
  return {
    dir,
    workDir: at("work"),
    k8sVersion,
    postgresqlVersion,
    minioProviderVersion,
    cliDir: at(`pulumi-v${PULUMI_VERSION}`),
    langhostDir: at(`pulumi-language-nodejs-v${LANGHOST_SDK_VERSION}-${LANGHOST_PATCH}`),
    k8sDir: at(`pulumi-resource-kubernetes-v${k8sVersion}`),
    postgresqlDir: at(`pulumi-resource-postgresql-v${postgresqlVersion}`),
    minioProviderDir: at(`pulumi-resource-minio-v${minioProviderVersion}`),
    minioServerDir: at(`minio-${MINIO_SERVER_VERSION}-reflect2-${MINIO_REFLECT2_VERSION}`),
  };
}
