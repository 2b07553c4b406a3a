import type { IPersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import type { IIoK8sApiCoreV1Probe as IProbe } from "kubernetes-models/v1/Probe";
import type { IService } from "kubernetes-models/v1/Service";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { PlatformConfig, ReleaseConfig } from "../../../lib/config/model";
import { httpProbe, releaseMetadata, resources, tcpProbe } from "../../../lib/kube/objects";
import { PORTS, serviceHost } from "../../../lib/naming/names";
import { daemonContainerMiB, jvmContainerMiB } from "../../../lib/units/sizes";
import {
  MASTER_RECOVERY_MOUNT,
  SMALL_LOCAL_DIR_MIB,
  WORK_DIR_MIB,
} from "../../../lib/kube/storage";
import { masterRecoveryProperties } from "../../../lib/spark/defaults";
import { DRIVER_CONF_DIR } from "../../../lib/spark/authentication";
import { daemonAuthEnv, driverConfVolume } from "./authentication";
import { WORK_DIR, releaseService, sparkDeployment, sparkEnv } from "./common";

// A standalone release: its master and workers, the master's Service and recovery claim.
const SOURCE = "components/spark-release/manifests/standalone.ts";
/** Volume name of the recovery claim in the master's pod. */
const RECOVERY_VOLUME = "recovery";
/**
 * Heap of a driver started inside the master pod (`SPARK_DRIVER_MEMORY` there): the smoke
 * test of the charts this replaces runs `spark-submit` in the master pod. The master's
 * container has room for it besides the master daemon, or the kernel's OOM killer ends
 * the driver (a 1g default driver measured 335 MiB RSS for the smoke job, next to a
 * 175 MiB master, in a 512 MiB container). 512m is the least Spark starts a driver
 * with (INVALID_DRIVER_MEMORY below 450 MiB x 1.5 of system memory).
 */
export const IN_POD_DRIVER_HEAP_MIB = 512;

/** The master container's memory: the master daemon and room for one in-pod driver. */
export function masterContainerMiB(release: ReleaseConfig): number {
  return (
    daemonContainerMiB(release.standalone!.daemonMemoryMiB) +
    daemonContainerMiB(IN_POD_DRIVER_HEAP_MIB)
  );
}

export function masterService(release: ReleaseConfig): IService {
  return releaseService(
    release,
    "master",
    release.names.master,
    [
      { name: "rpc", port: PORTS.masterRpc },
      { name: "http-ui", port: PORTS.masterUi },
    ],
    `${SOURCE}#masterService`,
  );
}

/**
 * The claim the master's recovery state lives on, when recovery is on. Not retained on
 * delete and not protected: it holds which workers and applications were registered, which
 * mean nothing once the release is gone. Pulumi does not wait for it to bind
 * (`pulumi.com/skipAwait`): with a WaitForFirstConsumer StorageClass a claim binds only
 * once the master's pod is scheduled, and the provider's own wait would hold the claim's
 * create or update for minutes; the master Deployment's readiness is the signal instead.
 */
export function masterRecoveryClaim(release: ReleaseConfig): IPersistentVolumeClaim | undefined {
  const recovery = release.standalone?.recovery;
  if (!recovery?.enabled) return undefined;
  const metadata = releaseMetadata(
    release,
    "master",
    release.names.masterRecovery,
    `${SOURCE}#masterRecoveryClaim`,
  );
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: {
      ...metadata,
      annotations: { ...metadata.annotations, "pulumi.com/skipAwait": "true" },
    },
    spec: {
      accessModes: ["ReadWriteOnce"],
      volumeMode: "Filesystem",
      ...(recovery.storageClassName !== undefined
        ? { storageClassName: recovery.storageClassName }
        : {}),
      resources: { requests: { storage: recovery.size } },
    },
  };
}

/**
 * Shell command that succeeds when the master on this pod says ALIVE: `GET /json/` on its
 * UI through bash's /dev/tcp (no HTTP client can be counted on in the image).
 */
export function masterAliveCommand(uiPort: number = PORTS.masterUi): string[] {
  return [
    "/bin/bash",
    "-c",
    `exec 3<>/dev/tcp/127.0.0.1/${uiPort} && printf 'GET /json/ HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '"status" *: *"ALIVE"' <&3`,
  ];
}

/**
 * Readiness of a recovering master: ready once ALIVE, not once its RPC port listens. While
 * it is RECOVERING the port is open, and a worker re-registering through the Service then
 * reports its executors before the master has read them back from that worker, and the
 * master kills the executors it does not know (measured with Spark 3.5.7,
 * docs/hardening.md). Recovery needs no Service (the master dials the workers and drivers
 * it read back), so keeping the Service empty until then costs nothing.
 */
function masterAliveProbe(): IProbe {
  return {
    exec: { command: masterAliveCommand() },
    initialDelaySeconds: 10,
    periodSeconds: 5,
    timeoutSeconds: 5,
    failureThreshold: 6,
  };
}

/** `-Dkey=value` options of the master JVM: its recovery settings (none when recovery is off). */
function masterJavaOptions(release: ReleaseConfig): string {
  return Object.entries(masterRecoveryProperties(release))
    .map(([key, value]) => `-D${key}=${value}`)
    .join(" ");
}

export function masterDeployment(config: PlatformConfig, release: ReleaseConfig): IDeployment {
  const standalone = release.standalone!;
  const recovery = standalone.recovery.enabled;
  // The container's SPARK_CONF_DIR is the release's spark-defaults with the secret, from
  // its Secret: a driver started in this pod (`kubectl exec deploy/<release>-master --
  // /opt/spark/bin/spark-submit ...`, the old charts' smoke test) needs the secret in its
  // SparkConf on spark://. The master daemon reads the same file (and its env's secret).
  const driverConf = driverConfVolume(release, DRIVER_CONF_DIR);
  return sparkDeployment(config, release, {
    component: "master",
    name: release.names.master,
    source: `${SOURCE}#masterDeployment`,
    replicas: 1,
    // Recreate also because the recovery claim is ReadWriteOnce: it cannot be attached
    // to the old and the new master pod at once (on different nodes a rolling update
    // would wait forever), and two masters must never write the same recovery state.
    recreate: true,
    mountToken: false,
    // The master runs no driver or executor: it needs the directories, not the space.
    localDirMiB: SMALL_LOCAL_DIR_MIB,
    workDirMiB: WORK_DIR_MIB,
    container: {
      name: "master",
      args: [
        "/opt/spark/bin/spark-class",
        "org.apache.spark.deploy.master.Master",
        "--host",
        "$(POD_IP)",
        "--port",
        String(PORTS.masterRpc),
        "--webui-port",
        String(PORTS.masterUi),
      ],
      env: [
        ...sparkEnv(DRIVER_CONF_DIR),
        daemonAuthEnv(release),
        // A driver started in this pod (the smoke test of the charts this replaces:
        // spark-submit inside the master pod) advertises the pod IP, not the pod's
        // hostname, which resolves nowhere else: its executors must connect back to it.
        { name: "SPARK_LOCAL_HOSTNAME", value: "$(POD_IP)" },
        // spark-submit's driver heap when neither its command line nor spark-defaults set one.
        { name: "SPARK_DRIVER_MEMORY", value: `${IN_POD_DRIVER_HEAP_MIB}m` },
        { name: "SPARK_MASTER_PORT", value: String(PORTS.masterRpc) },
        { name: "SPARK_MASTER_WEBUI_PORT", value: String(PORTS.masterUi) },
        { name: "SPARK_DAEMON_MEMORY", value: `${standalone.daemonMemoryMiB}m` },
        // spark-class adds SPARK_MASTER_OPTS to the master's JVM only (workers never see it).
        ...(recovery ? [{ name: "SPARK_MASTER_OPTS", value: masterJavaOptions(release) }] : []),
      ],
      ports: [
        { name: "rpc", containerPort: PORTS.masterRpc },
        { name: "http-ui", containerPort: PORTS.masterUi },
      ],
      readinessProbe: recovery ? masterAliveProbe() : tcpProbe(PORTS.masterRpc, 10),
      livenessProbe: httpProbe(PORTS.masterUi, "/", 30, 20),
      resources: resources("100m", masterContainerMiB(release), "1"),
    },
    // The recovery claim is writable by uid 185 through the pod's fsGroup
    // (podSecurityContext) on volume types that apply it (every CSI and `local` volume;
    // not hostPath).
    extraVolumes: [
      ...(recovery
        ? [
            {
              name: RECOVERY_VOLUME,
              persistentVolumeClaim: { claimName: release.names.masterRecovery },
            },
          ]
        : []),
      driverConf.volume,
    ],
    extraMounts: [
      ...(recovery ? [{ name: RECOVERY_VOLUME, mountPath: MASTER_RECOVERY_MOUNT }] : []),
      driverConf.mount,
    ],
  });
}

/**
 * Worker memory: its daemon JVM plus the executors it may launch (SPARK_WORKER_MEMORY),
 * each with Spark's overhead rule, so the container limit matches what Spark schedules.
 */
export function workerContainerMiB(release: ReleaseConfig): number {
  const s = release.standalone!;
  return daemonContainerMiB(s.daemonMemoryMiB) + jvmContainerMiB(s.workerMemoryMiB);
}

export function workerDeployment(config: PlatformConfig, release: ReleaseConfig): IDeployment {
  const standalone = release.standalone!;
  const masterUrl = `spark://${serviceHost(release.names.master, release.namespace)}:${PORTS.masterRpc}`;
  return sparkDeployment(config, release, {
    component: "worker",
    name: release.names.worker,
    source: `${SOURCE}#workerDeployment`,
    replicas: standalone.workers,
    recreate: false,
    mountToken: false,
    // Shuffle and spill of every executor the worker launches; their jars and logs.
    localDirMiB: standalone.localDirMiB,
    workDirMiB: standalone.workDirMiB,
    container: {
      name: "worker",
      args: [
        "/opt/spark/bin/spark-class",
        "org.apache.spark.deploy.worker.Worker",
        masterUrl,
        "--host",
        "$(POD_IP)",
        "--port",
        String(PORTS.workerRpc),
        "--webui-port",
        String(PORTS.workerUi),
        "--cores",
        String(standalone.workerCores),
        "--memory",
        `${standalone.workerMemoryMiB}m`,
        "--work-dir",
        WORK_DIR,
      ],
      env: [
        ...sparkEnv(),
        // The worker authenticates with it and hands it to every executor it launches.
        daemonAuthEnv(release),
        { name: "SPARK_WORKER_CORES", value: String(standalone.workerCores) },
        { name: "SPARK_WORKER_MEMORY", value: `${standalone.workerMemoryMiB}m` },
        { name: "SPARK_WORKER_PORT", value: String(PORTS.workerRpc) },
        { name: "SPARK_WORKER_WEBUI_PORT", value: String(PORTS.workerUi) },
        { name: "SPARK_DAEMON_MEMORY", value: `${standalone.daemonMemoryMiB}m` },
      ],
      ports: [
        { name: "rpc", containerPort: PORTS.workerRpc },
        { name: "http-ui", containerPort: PORTS.workerUi },
      ],
      readinessProbe: httpProbe(PORTS.workerUi, "/", 10),
      livenessProbe: httpProbe(PORTS.workerUi, "/", 30, 20),
      resources: resources(
        standalone.workerCpuRequest,
        workerContainerMiB(release),
        String(standalone.workerCores),
      ),
    },
  });
}
