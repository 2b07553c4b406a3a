import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IService } from "kubernetes-models/v1/Service";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IIoK8sApiCoreV1Volume as IVolume } from "kubernetes-models/v1/Volume";
import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { stringify } from "yaml";
import type { PlatformConfig, ReleaseConfig } from "../../lib/config/model";
import {
  CONFIG_HASH_ANNOTATION,
  componentSelector,
  containerSecurityContext,
  fieldEnv,
  httpProbe,
  objectStoreEnv,
  podSecurityContext,
  releaseLabels,
  releaseMetadata,
  renderSparkProperties,
  resources,
  sha256,
  tcpProbe,
  TMP_MOUNT,
  TMP_VOLUME,
  type Component,
  type Container,
} from "../../lib/kube/objects";
import { PORTS, serviceHost } from "../../lib/naming/names";
import { daemonContainerMiB, jvmContainerMiB } from "../../lib/units/sizes";
import { sparkPodJars } from "../../lib/jars/plan";
import {
  EXECUTOR_LOCAL_DIR_VOLUME,
  SMALL_LOCAL_DIR_MIB,
  SPARK_LOCAL_DIR,
  WORK_DIR_MIB,
  scratch,
  withEphemeralStorage,
} from "../../lib/kube/storage";
import { SPARK_UID } from "../../lib/spark/versions";
import { CONNECT_POD_ENV, connectServerScript } from "./connectServer";
import { EXECUTOR_TEMPLATE_PATH, SPARK_CONF_DIR, sparkDefaults } from "../../lib/spark/defaults";

const SOURCE = "components/spark-release/manifests.ts";
const WORK_DIR = "/opt/spark/work-dir";

/** The release's only ServiceAccount. Standalone pods never need the API, so no token. */
export function serviceAccount(release: ReleaseConfig): IServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: releaseMetadata(
      release,
      "spark",
      release.names.serviceAccount,
      `${SOURCE}#serviceAccount`,
    ),
    automountServiceAccountToken: release.mode === "connect",
  };
}

export function sparkDefaultsConfigMap(config: PlatformConfig, release: ReleaseConfig): IConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: releaseMetadata(
      release,
      "spark",
      release.names.sparkDefaults,
      `${SOURCE}#sparkDefaultsConfigMap`,
    ),
    data: { "spark-defaults.conf": renderSparkProperties(sparkDefaults(config, release)) },
  };
}

function sparkConfHash(config: PlatformConfig, release: ReleaseConfig): string {
  return sha256(renderSparkProperties(sparkDefaults(config, release)));
}

const confVolume = (release: ReleaseConfig) => ({
  name: "spark-conf",
  configMap: { name: release.names.sparkDefaults },
});
const confMount = { name: "spark-conf", mountPath: SPARK_CONF_DIR, readOnly: true };

/** Env every Spark daemon gets; ports set explicitly (service-link pitfall). */
function sparkEnv(release: ReleaseConfig) {
  return [
    { name: "SPARK_CONF_DIR", value: SPARK_CONF_DIR },
    { name: "SPARK_NO_DAEMONIZE", value: "true" },
    { name: "SPARK_LOG_DIR", value: "/tmp/spark-logs" },
    { name: "SPARK_PID_DIR", value: "/tmp" },
    { name: "HOME", value: "/tmp" },
    fieldEnv("POD_IP", "status.podIP"),
    fieldEnv("POD_NAME", "metadata.name"),
    ...objectStoreEnv(release.names.objectStoreSecret),
  ];
}

function podTemplateMeta(config: PlatformConfig, release: ReleaseConfig, component: Component) {
  return {
    labels: releaseLabels(release, component),
    annotations: { [CONFIG_HASH_ANNOTATION]: sparkConfHash(config, release) },
  };
}

/** What differs between the release's Spark Deployments; the rest is shared below. */
interface SparkDeploymentShape {
  readonly component: "master" | "worker" | "connect";
  readonly name: string;
  /** Builder function name, for the source annotation. */
  readonly source: string;
  readonly replicas: number;
  /** Single-instance daemons are replaced, not rolled: two masters must never overlap. */
  readonly recreate: boolean;
  /** Only the Connect server talks to the Kubernetes API (it creates executors). */
  readonly mountToken: boolean;
  /** emptyDir of spark.local.dir (shuffle, spill, broadcast and cached blocks). */
  readonly localDirMiB: number;
  /** emptyDir of the working directory (the worker's --work-dir: jars, executor logs). */
  readonly workDirMiB: number;
  readonly container: Omit<Container, "image" | "securityContext" | "volumeMounts">;
  readonly extraMounts?: Container["volumeMounts"];
  readonly extraVolumes?: IVolume[];
}

/**
 * A Spark Deployment of the release: its ServiceAccount, no service links, Pod Security
 * restricted, read-only root with writable /tmp, work dir and spark.local.dir (each an
 * emptyDir with a sizeLimit, their sum the container's ephemeral storage), spark-defaults
 * mounted, rolled when spark-defaults change.
 */
function sparkDeployment(
  config: PlatformConfig,
  release: ReleaseConfig,
  shape: SparkDeploymentShape,
): IDeployment {
  const jars = sparkPodJars(config, release, shape.component, release.image);
  const work = scratch("work", WORK_DIR, shape.workDirMiB);
  const local = scratch("spark-local", SPARK_LOCAL_DIR, shape.localDirMiB);
  const volumes = [
    confVolume(release),
    ...(shape.extraVolumes ?? []),
    TMP_VOLUME,
    work.volume,
    local.volume,
    ...jars.volumes,
  ];
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: releaseMetadata(release, shape.component, shape.name, `${SOURCE}#${shape.source}`),
    spec: {
      replicas: shape.replicas,
      ...(shape.recreate ? { strategy: { type: "Recreate" } } : {}),
      selector: { matchLabels: componentSelector(release, shape.component) },
      template: {
        metadata: podTemplateMeta(config, release, shape.component),
        spec: {
          serviceAccountName: release.names.serviceAccount,
          automountServiceAccountToken: shape.mountToken,
          enableServiceLinks: false,
          securityContext: podSecurityContext(SPARK_UID),
          ...(jars.initContainers.length ? { initContainers: jars.initContainers } : {}),
          containers: [
            withEphemeralStorage(
              {
                ...shape.container,
                ...(jars.env.length ? { env: [...(shape.container.env ?? []), ...jars.env] } : {}),
                image: release.image,
                securityContext: containerSecurityContext(),
                volumeMounts: [
                  confMount,
                  ...(shape.extraMounts ?? []),
                  TMP_MOUNT,
                  work.mount,
                  local.mount,
                  ...jars.mounts,
                ],
              },
              volumes,
            ),
          ],
          volumes,
        },
      },
    },
  };
}

function service(
  release: ReleaseConfig,
  component: Component,
  name: string,
  ports: { name: string; port: number }[],
  source: string,
): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: releaseMetadata(release, component, name, `${SOURCE}#${source}`),
    spec: {
      type: "ClusterIP",
      selector: componentSelector(release, component),
      ports: ports.map((p) => ({
        name: p.name,
        port: p.port,
        targetPort: p.port,
        protocol: "TCP",
      })),
    },
  };
}

export function masterService(release: ReleaseConfig): IService {
  return service(
    release,
    "master",
    release.names.master,
    [
      { name: "rpc", port: PORTS.masterRpc },
      { name: "http-ui", port: PORTS.masterUi },
    ],
    "masterService",
  );
}

export function masterDeployment(config: PlatformConfig, release: ReleaseConfig): IDeployment {
  const standalone = release.standalone!;
  return sparkDeployment(config, release, {
    component: "master",
    name: release.names.master,
    source: "masterDeployment",
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
    source: "workerDeployment",
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

export function connectService(release: ReleaseConfig): IService {
  return service(
    release,
    "connect",
    release.names.connect,
    [
      { name: "grpc", port: PORTS.connectGrpc },
      { name: "http-ui", port: PORTS.driverUi },
    ],
    "connectService",
  );
}

/**
 * Executor pods follow the same Pod Security rules as everything else (pod template), and
 * get their jars like every other Spark pod: Spark keeps the template's init containers
 * and volumes, and the image's entrypoint appends SPARK_DIST_CLASSPATH to the executor's.
 */
export function executorPodTemplate(
  config: PlatformConfig,
  release: ReleaseConfig,
): Record<string, unknown> {
  const jars = sparkPodJars(config, release, "executor", release.image);
  const work = scratch("work", WORK_DIR, WORK_DIR_MIB);
  // Named as Spark's own local-dir volume, so Spark uses it (with its limit) instead of
  // adding an unlimited emptyDir for spark.local.dir.
  const local = scratch(
    EXECUTOR_LOCAL_DIR_VOLUME,
    SPARK_LOCAL_DIR,
    release.connect!.executorLocalDirMiB,
  );
  const volumes = [TMP_VOLUME, work.volume, local.volume, ...jars.volumes];
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { labels: releaseLabels(release, "executor") },
    spec: {
      enableServiceLinks: false,
      automountServiceAccountToken: false,
      securityContext: podSecurityContext(SPARK_UID),
      ...(jars.initContainers.length ? { initContainers: jars.initContainers } : {}),
      // Spark adds memory and CPU to the template's resources; ephemeral storage is ours.
      containers: [
        withEphemeralStorage(
          {
            name: "executor",
            ...(jars.env.length ? { env: jars.env } : {}),
            securityContext: containerSecurityContext(),
            volumeMounts: [TMP_MOUNT, work.mount, local.mount, ...jars.mounts],
          },
          volumes,
        ),
      ],
      volumes,
    },
  };
}

export function executorPodTemplateConfigMap(
  config: PlatformConfig,
  release: ReleaseConfig,
): IConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: releaseMetadata(
      release,
      "executor",
      release.names.executorPodTemplate,
      `${SOURCE}#executorPodTemplateConfigMap`,
    ),
    data: { "executor.yaml": stringify(executorPodTemplate(config, release)) },
  };
}

/** Memory of the Connect server container: driver heap plus Spark's overhead rule. */
export function connectContainerMiB(release: ReleaseConfig): number {
  return jvmContainerMiB(release.connect!.driverMemoryMiB);
}

export function connectDeployment(config: PlatformConfig, release: ReleaseConfig): IDeployment {
  const connect = release.connect!;
  return sparkDeployment(config, release, {
    component: "connect",
    name: release.names.connect,
    source: "connectDeployment",
    replicas: 1,
    recreate: true,
    // Client mode: this pod's own ServiceAccount creates the executors (SPARK-28360).
    mountToken: true,
    localDirMiB: connect.localDirMiB,
    workDirMiB: WORK_DIR_MIB,
    container: {
      name: "connect",
      // Driver host (pod IP) and executor name prefix (per start) are known only at start.
      args: ["/bin/bash", "-c", connectServerScript(release)],
      env: [...sparkEnv(release), fieldEnv(CONNECT_POD_ENV.uid, "metadata.uid")],
      ports: [
        { name: "grpc", containerPort: PORTS.connectGrpc },
        { name: "http-ui", containerPort: PORTS.driverUi },
        { name: "driver-rpc", containerPort: PORTS.driverRpc },
        { name: "blockmanager", containerPort: PORTS.blockManager },
      ],
      readinessProbe: tcpProbe(PORTS.connectGrpc, 20),
      livenessProbe: httpProbe(PORTS.driverUi, "/", 60, 20),
      resources: resources(
        connect.driverCpuRequest,
        connectContainerMiB(release),
        String(connect.driverCores),
      ),
    },
    extraMounts: [
      {
        name: "pod-templates",
        mountPath: EXECUTOR_TEMPLATE_PATH.replace(/\/[^/]+$/, ""),
        readOnly: true,
      },
    ],
    extraVolumes: [
      { name: "pod-templates", configMap: { name: release.names.executorPodTemplate } },
    ],
  });
}

/** What the Connect server needs to run executors as pods, in its own namespace only. */
export function executorRole(release: ReleaseConfig): IRole {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: releaseMetadata(
      release,
      "connect",
      release.names.executorRole,
      `${SOURCE}#executorRole`,
    ),
    rules: [
      {
        apiGroups: [""],
        resources: ["pods", "services", "configmaps", "persistentvolumeclaims"],
        verbs: ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"],
      },
    ],
  };
}

export function executorRoleBinding(release: ReleaseConfig): IRoleBinding {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: releaseMetadata(
      release,
      "connect",
      release.names.executorRole,
      `${SOURCE}#executorRoleBinding`,
    ),
    roleRef: {
      apiGroup: "rbac.authorization.k8s.io",
      kind: "Role",
      name: release.names.executorRole,
    },
    subjects: [
      { kind: "ServiceAccount", name: release.names.serviceAccount, namespace: release.namespace },
    ],
  };
}

/**
 * A budget only where it protects something: a component of several replicas (standalone
 * workers) loses at most one pod at a time to a drain (`maxUnavailable: 1`), so running
 * applications keep the other workers' executors. A single-instance daemon (master,
 * Connect server, metastore, History Server) gets none: `minAvailable: 1` on one replica
 * allows 0 disruptions and blocks every node drain until an operator intervenes, and
 * `maxUnavailable: 1` would protect nothing. Such daemons are replaced by design
 * (Recreate); a drain restarts them on another node. Unhealthy pods may always be
 * evicted, so a crash loop never blocks a drain.
 */
export function podDisruptionBudget(
  release: ReleaseConfig,
  component: Component,
  name: string,
  replicas: number,
): IPodDisruptionBudget | undefined {
  if (replicas <= 1) return undefined;
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: releaseMetadata(release, component, name, `${SOURCE}#podDisruptionBudget`),
    spec: {
      maxUnavailable: 1,
      unhealthyPodEvictionPolicy: "AlwaysAllow",
      selector: { matchLabels: componentSelector(release, component) },
    },
  };
}
