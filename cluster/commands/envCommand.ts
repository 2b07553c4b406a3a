// `env`: shell exports for the engine (values literal and single-quoted), what
// tools/engine/localCluster.ts parses.
import * as fs from "node:fs";
import * as path from "node:path";
import { CLUSTER_NET, SERVICES_IP } from "../addressPlan";
import { kubectlPath } from "../adminKubectl";
import type { Layout } from "../clusterLayout";
import { servicePaths } from "../services";

export function shellQuote(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

function secret(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The caller's PATH without the entries `npm run` / npx add for the duration of a script. */
export function callerPath(p: string): string[] {
  return p.split(":").filter((e) => e && !/node_modules\/\.bin$|@npmcli\/run-script/.test(e));
}

/** Export lines; variables whose source file is missing (never up) are left out. */
export function envExports(l: Layout, currentPath: string): string[] {
  const p = servicePaths(l);
  const vars: [string, string | undefined][] = [
    ["KUBECONFIG", fs.existsSync(l.adminKubeconfig) ? l.adminKubeconfig : undefined],
    ["PATH", [path.dirname(kubectlPath(l)), ...callerPath(currentPath)].join(":")],
    ["SPARK_PLATFORM_CLUSTER_KUBECTL", kubectlPath(l)],
    ["PGHOST", SERVICES_IP],
    ["PGPORT", String(CLUSTER_NET.pgPort)],
    ["PGUSER", "postgres"],
    ["PGPASSWORD", secret(p.pgPasswordFile)],
    ["SPARK_PLATFORM_PG_HOST", SERVICES_IP],
    ["SPARK_PLATFORM_PG_PORT", String(CLUSTER_NET.pgPort)],
    ["SPARK_PLATFORM_PG_PASSWORD", secret(p.pgPasswordFile)],
    ["SPARK_PLATFORM_PG_PASSWORD_FILE", p.pgPasswordFile],
    ["SPARK_PLATFORM_MINIO_ENDPOINT", `http://${SERVICES_IP}:${CLUSTER_NET.minioPort}`],
    ["AWS_ACCESS_KEY_ID", secret(p.minioUserFile)],
    ["AWS_SECRET_ACCESS_KEY", secret(p.minioPasswordFile)],
    ["SPARK_PLATFORM_MINIO_ROOT_USER", secret(p.minioUserFile)],
    ["SPARK_PLATFORM_MINIO_ROOT_PASSWORD", secret(p.minioPasswordFile)],
    ["SPARK_PLATFORM_MAVEN_MIRROR_DIR", l.mavenMirrorDir],
    ["SPARK_PLATFORM_MAVEN_MIRROR_URL", `http://${SERVICES_IP}:${CLUSTER_NET.mirrorPort}/`],
  ];
  return vars
    .filter((v): v is [string, string] => v[1] !== undefined)
    .map(([k, v]) => `export ${k}=${shellQuote(v)}`);
}

export function envCommand(l: Layout): number {
  process.stdout.write(envExports(l, process.env.PATH ?? "").join("\n") + "\n");
  return 0;
}
