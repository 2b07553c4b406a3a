import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { PROJECT_ROOT } from "../cli/stackFiles";

/**
 * The local cluster of `npm run cluster -- up` as the engine harness sees it: which stacks
 * target it, and the connection details its `env` command prints. Pure parts first.
 */

const run = promisify(execFile);

/** Stacks named `local` or `local-<suffix>` run against the local cluster. */
export function isLocalClusterStack(stackName: string): boolean {
  return /^local(-[a-z0-9-]+)?$/.test(stackName);
}

export interface LocalClusterEnv {
  readonly kubeconfig: string;
  /** PATH the cluster's `env` exports (its kubectl first). */
  readonly path: string;
  readonly postgres: { readonly host: string; readonly port: number; readonly password: string };
  readonly objectStore: {
    readonly endpoint: string;
    readonly accessKey: string;
    readonly secretKey: string;
  };
}

/** `export NAME=value` lines (values optionally single- or double-quoted) as a record. */
export function parseExports(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^\s*export\s+([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!.trim();
    if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) {
      value = value.slice(1, -1).replace(/'\\''/g, "'");
    } else if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = value.slice(1, -1).replace(/\\(["\\$`])/g, "$1");
    }
    vars[match[1]!] = value;
  }
  return vars;
}

/** The connection details out of the cluster's exports; names what is missing. */
export function clusterEnvFromExports(vars: Readonly<Record<string, string>>): LocalClusterEnv {
  const required = [
    "KUBECONFIG",
    "PATH",
    "PGHOST",
    "PGPORT",
    "PGPASSWORD",
    "SPARK_PLATFORM_MINIO_ENDPOINT",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
  ];
  const missing = required.filter((name) => !vars[name]);
  if (missing.length) {
    throw new Error(
      `local cluster: 'npm run cluster -- env' printed no ${missing.join(", ")}: is it up? (npm run cluster -- up)`,
    );
  }
  return {
    kubeconfig: vars["KUBECONFIG"]!,
    path: vars["PATH"]!,
    postgres: {
      host: vars["PGHOST"]!,
      port: Number(vars["PGPORT"]),
      password: vars["PGPASSWORD"]!,
    },
    objectStore: {
      endpoint: vars["SPARK_PLATFORM_MINIO_ENDPOINT"]!,
      accessKey: vars["AWS_ACCESS_KEY_ID"]!,
      secretKey: vars["AWS_SECRET_ACCESS_KEY"]!,
    },
  };
}

type Values = Readonly<Record<string, unknown>>;
const objectAt = (values: Values, key: string): Record<string, unknown> => {
  const value = values[key];
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? { ...(value as Record<string, unknown>) }
    : {};
};

/**
 * `spark-platform:*` overrides that point a committed local stack at this machine's cluster:
 * the engine's side of PostgreSQL and MinIO (what pods use stays as committed) and the
 * admin kubeconfig. Never renders: the manifests are applied.
 */
export function localClusterOverrides(
  committed: Values,
  cluster: LocalClusterEnv,
): Record<string, unknown> {
  const kubernetes = objectAt(committed, "kubernetes");
  delete kubernetes["renderYamlToDirectory"];
  return {
    postgres: {
      ...objectAt(committed, "postgres"),
      adminHost: cluster.postgres.host,
      adminPort: cluster.postgres.port,
    },
    objectStore: {
      ...objectAt(committed, "objectStore"),
      adminEndpoint: cluster.objectStore.endpoint,
    },
    kubernetes: { ...kubernetes, kubeconfig: cluster.kubeconfig },
  };
}

/** Runs `cluster/main.ts env` (no build, no start) and reads its exports. */
export async function localClusterEnv(): Promise<LocalClusterEnv> {
  const { stdout } = await run(
    process.execPath,
    ["tools/launcher/run.cjs", "cluster/main.ts", "env"],
    {
      cwd: PROJECT_ROOT,
      maxBuffer: 4 * 1024 * 1024,
    },
  );
  return clusterEnvFromExports(parseExports(stdout));
}

/**
 * Runs `cluster/main.ts volumes`: the cluster's StorageClass and volumes, each volume a
 * destroyed stack left Released emptied and made Available again. Returns its summary line.
 */
export async function reconcileClusterVolumes(): Promise<string> {
  const { stderr } = await run("npx", ["tsx", "cluster/main.ts", "volumes"], {
    cwd: PROJECT_ROOT,
    maxBuffer: 4 * 1024 * 1024,
  });
  const lines = stderr.split("\n").filter((line) => line.includes("volumes:"));
  return (lines.at(-1) ?? "volumes: reconciled").replace(/^\[cluster\] /, "");
}
