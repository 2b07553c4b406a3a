import type { IService } from "kubernetes-models/v1/Service";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { PlatformConfig, ReleaseConfig } from "../../../lib/config/model";
import { httpProbe, resources, tcpProbe } from "../../../lib/kube/objects";
import { PORTS, serviceHost } from "../../../lib/naming/names";
import { daemonContainerMiB, jvmContainerMiB } from "../../../lib/units/sizes";
import { SMALL_LOCAL_DIR_MIB, WORK_DIR_MIB } from "../../../lib/kube/storage";
import { WORK_DIR, releaseService, sparkDeployment, sparkEnv } from "./common";

// A standalone release: its master and workers, and the master's Service.
const SOURCE = "components/spark-release/manifests/standalone.ts";

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

export function masterDeployment(config: PlatformConfig, release: ReleaseConfig): IDeployment {
  const standalone = release.standalone!;
  return sparkDeployment(config, release, {
    component: "master",
    name: release.names.master,
    source: `${SOURCE}#masterDeployment`,
    replicas: 1,
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
        ...sparkEnv(release),
        { name: "SPARK_MASTER_PORT", value: String(PORTS.masterRpc) },
        { name: "SPARK_MASTER_WEBUI_PORT", value: String(PORTS.masterUi) },
        { name: "SPARK_DAEMON_MEMORY", value: `${standalone.daemonMemoryMiB}m` },
      ],
      ports: [
        { name: "rpc", containerPort: PORTS.masterRpc },
        { name: "http-ui", containerPort: PORTS.masterUi },
      ],
      readinessProbe: tcpProbe(PORTS.masterRpc, 10),
      livenessProbe: httpProbe(PORTS.masterUi, "/", 30, 20),
      resources: resources("100m", daemonContainerMiB(standalone.daemonMemoryMiB), "1"),
    },
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
        ...sparkEnv(release),
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
