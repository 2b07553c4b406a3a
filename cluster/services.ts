// Shared services on the host's veth address 10.201.0.1: PostgreSQL and MinIO through the
// repository's scripts/postgres-local.sh and scripts/minio-local.sh (their env overrides:
// address, port, and a cache root of their own so the integration suite's loopback
// instances are untouched), and a static HTTP server for the Maven-layout jar mirror.
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheRoot } from "../lib/cache/cacheRoot";
import { CLUSTER_NET, SERVICES_IP } from "./addressPlan";
import { Layout, REPO_DIR } from "./clusterLayout";
import { alive, ON_HOST, Procs, statStartTime } from "./node/procs";
import { log } from "./support/clusterLog";
import { waitFor } from "./support/polling";
import { run, runOk, succeeds } from "./support/runCommand";

/** pg_hba lines for the nodes' links (pods are masqueraded to their node's address) and
 * the pod range: every node's, so a node that joins later needs no reload. */
export const PG_HBA_LINES = [
  "# spark-platform local cluster (cluster/services.ts): node links and pod range",
  `host all all ${CLUSTER_NET.nodeLinkRange} scram-sha-256`,
  `host all all ${CLUSTER_NET.podRange} scram-sha-256`,
];

/** pg_hba.conf text with our lines appended once (pure). */
export function withClusterHba(hba: string): string {
  const missing = PG_HBA_LINES.filter((l) => !hba.split("\n").includes(l));
  if (missing.length === 0) return hba;
  return `${hba.replace(/\n*$/, "\n")}${missing.join("\n")}\n`;
}

export function servicePaths(l: Layout) {
  return {
    pgDir: path.join(l.servicesDir, "postgres"),
    pgPasswordFile: path.join(l.servicesDir, "postgres", "password"),
    pgData: path.join(l.servicesDir, "postgres", "data"),
    minioDir: path.join(l.servicesDir, "minio"),
    minioUserFile: path.join(l.servicesDir, "minio", "root-user"),
    minioPasswordFile: path.join(l.servicesDir, "minio", "root-password"),
  };
}

/** Environment for the two scripts: our address, port and cache root; the real toolchain. */
export function scriptEnv(l: Layout): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SPARK_PLATFORM_TOOLCHAIN_DIR:
      process.env.SPARK_PLATFORM_TOOLCHAIN_DIR || path.join(cacheRoot(), "toolchain"),
    SPARK_PLATFORM_CACHE_DIR: l.servicesDir,
    SPARK_PLATFORM_PG_HOST: SERVICES_IP,
    SPARK_PLATFORM_PG_PORT: String(CLUSTER_NET.pgPort),
    SPARK_PLATFORM_MINIO_HOST: SERVICES_IP,
    SPARK_PLATFORM_MINIO_PORT: String(CLUSTER_NET.minioPort),
  };
  // Generated secrets in 0600 files, never ones inherited from the caller's shell.
  for (const k of [
    "SPARK_PLATFORM_PG_PASSWORD",
    "SPARK_PLATFORM_MINIO_ROOT_USER",
    "SPARK_PLATFORM_MINIO_ROOT_PASSWORD",
  ]) {
    delete env[k];
  }
  return env;
}

const script = (name: string) => path.join(REPO_DIR, "scripts", name);

async function recordPid(
  procs: Procs,
  name: string,
  pidFile: string,
  argv: string[],
): Promise<void> {
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  const startTime = statStartTime(fs.readFileSync(`/proc/${pid}/stat`, "utf8")) ?? "";
  procs.record({ name, pid, startTime, argv, log: "" });
}

export async function startPostgres(l: Layout, procs: Procs): Promise<void> {
  const env = scriptEnv(l);
  const logFile = path.join(l.logDir, "postgresql-script.log");
  const p = servicePaths(l);
  const hbaFile = path.join(p.pgData, "pg_hba.conf");
  const pidFile = path.join(p.pgData, "postmaster.pid");
  /** Adds our pg_hba lines; true when the file changed. */
  const ensureHba = () => {
    if (!fs.existsSync(hbaFile)) return false;
    const hba = fs.readFileSync(hbaFile, "utf8");
    const next = withClusterHba(hba);
    if (next !== hba) fs.writeFileSync(hbaFile, next);
    return next !== hba;
  };
  ensureHba();
  // The script logs in over 10.201.0.1 as its readiness check; on the very first start the
  // fresh data dir's pg_hba allows only loopback, so that check fails once: add our lines,
  // reload (SIGHUP to the postmaster) and let the script check again.
  const first = await run("bash", [script("postgres-local.sh"), "start"], { env, logFile });
  if (first.code !== 0) {
    if (!ensureHba() || !fs.existsSync(pidFile))
      throw new Error(`PostgreSQL did not start, see ${logFile}`);
    process.kill(Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]), "SIGHUP");
    await waitFor(() => pgAnswers(l), 10000, 250);
    await runOk("bash", [script("postgres-local.sh"), "start"], { env, logFile });
  }
  await recordPid(procs, "postgresql", pidFile, ["postgres", "-D", p.pgData]);
}

export async function stopPostgres(l: Layout, procs: Procs): Promise<void> {
  if (fs.existsSync(path.join(servicePaths(l).pgData, "PG_VERSION"))) {
    await run("bash", [script("postgres-local.sh"), "stop"], {
      env: scriptEnv(l),
      logFile: path.join(l.logDir, "postgresql-script.log"),
    });
  }
  await procs.stop("postgresql");
}

async function minioBinary(l: Layout): Promise<void> {
  const env = scriptEnv(l);
  const dirs = (await runOk("bash", [script("toolchain.sh"), "--print-path"], { env }))
    .trim()
    .split(":");
  const dir = dirs.find((d) => d.includes("/minio-"));
  if (dir && fs.existsSync(path.join(dir, "minio"))) return;
  log("minio: building the server with scripts/toolchain.sh minio (once)");
  await runOk("bash", [script("toolchain.sh"), "minio"], {
    env,
    logFile: path.join(l.logDir, "toolchain-minio.log"),
  });
}

export async function startMinio(l: Layout, procs: Procs): Promise<void> {
  await minioBinary(l);
  const env = scriptEnv(l);
  await runOk("bash", [script("minio-local.sh"), "start"], {
    env,
    logFile: path.join(l.logDir, "minio-script.log"),
  });
  await recordPid(procs, "minio", path.join(servicePaths(l).minioDir, "minio.pid"), [
    "minio",
    "server",
  ]);
}

export async function stopMinio(l: Layout, procs: Procs): Promise<void> {
  await run("bash", [script("minio-local.sh"), "stop"], {
    env: scriptEnv(l),
    logFile: path.join(l.logDir, "minio-script.log"),
  });
  await procs.stop("minio");
}

export async function startMirror(l: Layout, procs: Procs): Promise<void> {
  fs.mkdirSync(l.mavenMirrorDir, { recursive: true });
  const r = procs.get("maven-mirror");
  if (r && alive(r)) return;
  await procs.start("maven-mirror", ON_HOST, [
    "python3",
    "-m",
    "http.server",
    "--bind",
    SERVICES_IP,
    "--directory",
    l.mavenMirrorDir,
    String(CLUSTER_NET.mirrorPort),
  ]);
  const url = `http://${SERVICES_IP}:${CLUSTER_NET.mirrorPort}/`;
  if (!(await waitFor(() => httpOk(url), 15000, 200)))
    throw new Error(`maven mirror: no answer on ${url}`);
}

export async function httpOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.status < 500;
  } catch {
    return false;
  }
}

export async function pgAnswers(l: Layout): Promise<boolean> {
  return succeeds("bash", [script("postgres-local.sh"), "psql", "-Atqc", "select 1"], {
    env: scriptEnv(l),
  });
}

export async function readSecret(file: string): Promise<string | undefined> {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
}
