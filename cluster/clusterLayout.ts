// Where the local cluster keeps its binaries, wrapper modules, images and run state.
// Everything lives outside the repository, under the cache root (lib/cache/cacheRoot.ts);
// what belongs to one node (containerd, kubelet) is node/nodeLayout.ts.
import * as path from "node:path";
import { cacheRoot } from "../lib/cache/cacheRoot";

export interface Layout {
  /** <cache> root shared with the rest of spark-platform. */
  cacheDir: string;
  /** <cache>/cluster */
  clusterDir: string;
  /** <cache>/cluster/bin: one <part>-<version> directory per built part. */
  binDir: string;
  /** <cache>/cluster/work: Go wrapper modules. */
  workDir: string;
  /** <cache>/cluster/build-logs: Go's output, one file per part. */
  buildLogDir: string;
  /** <cache>/cluster/state: everything a running cluster owns. */
  stateDir: string;
  pkiDir: string;
  logDir: string;
  pidDir: string;
  etcdDataDir: string;
  /** How many nodes the last `up` started (`up` without --nodes starts as many again). */
  clusterFile: string;
  /** Shared services (PostgreSQL, MinIO) keep data here across up/down. */
  servicesDir: string;
  mavenMirrorDir: string;
  adminKubeconfig: string;
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
    buildLogDir: path.join(clusterDir, "build-logs"),
    stateDir,
    pkiDir,
    logDir: path.join(stateDir, "logs"),
    pidDir: path.join(stateDir, "pids"),
    etcdDataDir: path.join(stateDir, "etcd"),
    clusterFile: path.join(stateDir, "cluster.json"),
    servicesDir: path.join(clusterDir, "services"),
    mavenMirrorDir: path.join(clusterDir, "maven-mirror"),
    adminKubeconfig: path.join(pkiDir, "admin.kubeconfig"),
  };
}

/** Directory of one built part, keyed by its version: <bin>/<part>-<version>. */
export function partDir(l: Layout, part: string, version: string): string {
  return path.join(l.binDir, `${part}-${version}`);
}

/** Where the image builder keeps downloads, the base rootfs, layers and image tars. */
export function imagesCacheDir(cacheDir: string): string {
  return path.join(cacheDir, "cluster", "images");
}

/** The repository root (this file lives in <repo>/cluster). */
export const REPO_DIR = path.resolve(__dirname, "..");
