// Where the local cluster keeps its binaries, wrapper modules and run state. Everything
// lives outside the repository, under ${SPARK_PLATFORM_CACHE_DIR:-$HOME/.cache/spark-platform}.
import * as os from "node:os";
import * as path from "node:path";

export interface Layout {
  /** <cache> root shared with the rest of spark-platform. */
  cacheDir: string;
  /** <cache>/cluster */
  clusterDir: string;
  /** <cache>/cluster/bin: one <part>-<version> directory per built part. */
  binDir: string;
  /** <cache>/cluster/work: Go wrapper modules. */
  workDir: string;
  /** <cache>/cluster/state: everything a running cluster owns. */
  stateDir: string;
  pkiDir: string;
  logDir: string;
  pidDir: string;
  etcdDataDir: string;
  containerdRoot: string;
  containerdState: string;
  kubeletRoot: string;
  /** Shared services (PostgreSQL, MinIO) keep data here across up/down. */
  servicesDir: string;
  mavenMirrorDir: string;
  adminKubeconfig: string;
}

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.SPARK_PLATFORM_CACHE_DIR || path.join(env.HOME || os.homedir(), ".cache", "spark-platform")
  );
}

export function layout(env: NodeJS.ProcessEnv = process.env): Layout {
  const cacheDir = cacheRoot(env);
  const clusterDir = path.join(cacheDir, "cluster");
  const stateDir = path.join(clusterDir, "state");
  const pkiDir = path.join(stateDir, "pki");
  return {
    cacheDir,
    clusterDir,
    binDir: path.join(clusterDir, "bin"),
    workDir: path.join(clusterDir, "work"),
    stateDir,
    pkiDir,
    logDir: path.join(stateDir, "logs"),
    pidDir: path.join(stateDir, "pids"),
    etcdDataDir: path.join(stateDir, "etcd"),
    containerdRoot: path.join(stateDir, "containerd", "root"),
    containerdState: path.join(stateDir, "containerd", "state"),
    kubeletRoot: path.join(stateDir, "kubelet"),
    servicesDir: path.join(clusterDir, "services"),
    mavenMirrorDir: path.join(clusterDir, "maven-mirror"),
    adminKubeconfig: path.join(pkiDir, "admin.kubeconfig"),
  };
}

/** Directory of one built part, keyed by its version: <bin>/<part>-<version>. */
export function partDir(l: Layout, part: string, version: string): string {
  return path.join(l.binDir, `${part}-${version}`);
}

/** The repository root (this file lives in <repo>/cluster). */
export const REPO_DIR = path.resolve(__dirname, "..");
