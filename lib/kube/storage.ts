import type { IIoK8sApiCoreV1Container as IContainer } from "kubernetes-models/v1/Container";
import type { IIoK8sApiCoreV1Volume as IVolume } from "kubernetes-models/v1/Volume";
import type { IIoK8sApiCoreV1VolumeMount as IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import { memoryToMiB } from "../units/sizes";

/**
 * Writable disk of the platform's pods: each place a process writes is an emptyDir of its
 * own with a sizeLimit sized for what Spark or Hive puts there, and each pod's main
 * container requests and limits exactly the sum as ephemeral storage. The kubelet evicts
 * a pod whose emptyDir passes its sizeLimit, or whose volumes and logs pass the sum of its
 * containers' limits; with both derived from the same list neither can be wrong alone.
 */

/** spark.local.dir of every Spark pod that runs a driver or executors (own emptyDir). */
export const SPARK_LOCAL_DIR = "/var/data/spark-local";
/**
 * Where the standalone master's recovery claim is mounted; spark.deploy.recoveryDirectory
 * is a directory per Spark version below it (lib/spark/defaults.ts).
 */
export const MASTER_RECOVERY_MOUNT = "/var/data/master-recovery";
/** spark.history.store.path of a History Server (own emptyDir). */
export const HISTORY_STORE_DIR = "/var/data/history-store";
/**
 * Volume name Spark reuses for the first spark.local.dir of an executor when the pod
 * template defines it (LocalDirsFeatureStep); otherwise it adds an emptyDir without a limit.
 */
export const EXECUTOR_LOCAL_DIR_VOLUME = "spark-local-dir-1";

/** /tmp: JVM temp files, Connect artifacts, Hive scratch; nothing big once local dirs are apart. */
export const TMP_MIB = 512;
/** Working directory of pods that write only crash logs there (not the standalone worker). */
export const WORK_DIR_MIB = 256;
/** spark.local.dir of pods whose driver only plans and collects (standalone master, benchmark driver). */
export const SMALL_LOCAL_DIR_MIB = 512;
/**
 * Room for the container's own log files, which count toward its ephemeral storage
 * (kubelet default rotation: 5 files of 10 MiB), and its read-only root's writable layer.
 */
export const LOG_ALLOWANCE_MIB = 64;
/** Share of the History Server's store volume that spark.history.store.maxDiskUsage may use. */
export const HISTORY_STORE_USABLE = 0.75;

/** An emptyDir and its mount. */
export function scratch(
  name: string,
  mountPath: string,
  sizeMiB: number,
): { volume: IVolume; mount: IVolumeMount } {
  return { volume: { name, emptyDir: { sizeLimit: `${sizeMiB}Mi` } }, mount: { name, mountPath } };
}

/** Sum of the sizeLimits of a pod's disk-backed emptyDirs (memory-backed ones count as memory). */
export function emptyDirMiB(volumes: readonly IVolume[]): number {
  return volumes
    .filter((v) => v.emptyDir && v.emptyDir.medium !== "Memory")
    .reduce((sum, v) => {
      const limit = v.emptyDir!.sizeLimit;
      if (limit === undefined) throw new Error(`emptyDir ${v.name} has no sizeLimit`);
      return sum + memoryToMiB(limit);
    }, 0);
}

/** Ephemeral storage a pod needs: every emptyDir at its limit plus the log allowance. */
export function podEphemeralMiB(volumes: readonly IVolume[]): number {
  return emptyDirMiB(volumes) + LOG_ALLOWANCE_MIB;
}

/**
 * The main container with ephemeral-storage request = limit = what the pod's volumes
 * may hold (init containers, which run before it, need no separate share).
 */
export function withEphemeralStorage(
  container: IContainer,
  volumes: readonly IVolume[],
): IContainer {
  const quantity = `${podEphemeralMiB(volumes)}Mi`;
  return {
    ...container,
    resources: {
      ...container.resources,
      requests: { ...container.resources?.requests, "ephemeral-storage": quantity },
      limits: { ...container.resources?.limits, "ephemeral-storage": quantity },
    },
  };
}

/** spark.history.store.maxDiskUsage for a store volume: a Spark byte string below its limit. */
export function historyMaxDiskUsage(storeMiB: number): string {
  return `${Math.floor(storeMiB * HISTORY_STORE_USABLE)}m`;
}
