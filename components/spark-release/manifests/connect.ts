import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IService } from "kubernetes-models/v1/Service";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IIoK8sApiCoreV1Probe as IProbe } from "kubernetes-models/v1/Probe";
import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { stringify } from "yaml";
import type { PlatformConfig, ReleaseConfig } from "../../../lib/config/model";
import {
  containerSecurityContext,
  fieldEnv,
  httpProbe,
  podSecurityContext,
  releaseLabels,
  releaseMetadata,
  resources,
  TMP_MOUNT,
  TMP_VOLUME,
} from "../../../lib/kube/objects";
import { PORTS } from "../../../lib/naming/names";
import { jvmContainerMiB } from "../../../lib/units/sizes";
import { sparkPodJars } from "../../../lib/jars/plan";
import { withPlacement } from "../../../lib/kube/placement";
import {
  EXECUTOR_LOCAL_DIR_VOLUME,
  SPARK_LOCAL_DIR,
  WORK_DIR_MIB,
  scratch,
  withEphemeralStorage,
} from "../../../lib/kube/storage";
import { EXECUTOR_TEMPLATE_PATH, connectSparkMaster } from "../../../lib/spark/defaults";
import { SPARK_UID } from "../../../lib/spark/versions";
import { CONNECT_LOOPBACK_ADDRESS } from "../../../lib/spark/connectAuthentication";
import { executorBootstrapJavaOptions } from "../../../lib/spark/authentication";
import { CONNECT_POD_ENV, connectServerScript } from "../connectServer";
import {
  connectServerConfVolume,
  connectTlsContainer,
  connectTlsVolume,
} from "./connectAuthentication";
import { rpcSecretFileVolume } from "./authentication";
import {
  WORK_DIR,
  releaseService,
  sparkDeployment,
  sparkEnv,
  sparkObjectStoreCredentials,
} from "./common";

// A Connect release: the server (the driver), its Service, the executors' pod template, and
// the Role that lets the server run executors in its own namespace.
const SOURCE = "components/spark-release/manifests/connect.ts";

export function connectService(release: ReleaseConfig): IService {
  return releaseService(
    release,
    "connect",
    release.names.connect,
    [
      { name: "grpc", port: PORTS.connectGrpc },
      { name: "http-ui", port: PORTS.driverUi },
    ],
    `${SOURCE}#connectService`,
  );
}

/**
 * Executor pods follow the same Pod Security rules as everything else (pod template), and
 * get their jars like every other Spark pod: Spark keeps the template's init containers
 * and volumes, and the image's entrypoint appends SPARK_DIST_CLASSPATH to the executor's.
 * They read the release's object-store keys from the same file as the server, and its RPC
 * secret from the same file as well, with `spark.master`
 * as a system property so Spark reads it before it has the driver's conf
 * (lib/spark/authentication.ts).
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
  const rpcSecret = rpcSecretFileVolume(release);
  const objectStore = sparkObjectStoreCredentials(release);
  const volumes = [
    TMP_VOLUME,
    work.volume,
    local.volume,
    rpcSecret.volume,
    objectStore.volume,
    ...jars.volumes,
  ];
  const env = [
    {
      name: "JAVA_TOOL_OPTIONS",
      value: executorBootstrapJavaOptions(connectSparkMaster(config)),
    },
    ...objectStore.env,
    ...jars.env,
  ];
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { labels: releaseLabels(release, "executor") },
    // Spark keeps the template's scheduling fields (it only adds its own node selectors
    // from spark.kubernetes.node.selector.*), so executors follow the release's placement.
    spec: withPlacement(
      {
        enableServiceLinks: false,
        automountServiceAccountToken: false,
        securityContext: podSecurityContext(SPARK_UID),
        ...(jars.initContainers.length ? { initContainers: jars.initContainers } : {}),
        // Spark adds memory and CPU to the template's resources; ephemeral storage is ours.
        containers: [
          withEphemeralStorage(
            {
              name: "executor",
              env,
              securityContext: containerSecurityContext(),
              volumeMounts: [
                TMP_MOUNT,
                work.mount,
                local.mount,
                rpcSecret.mount,
                objectStore.mount,
                ...jars.mounts,
              ],
            },
            volumes,
          ),
        ],
        volumes,
      },
      release.placement,
    ),
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

/**
 * The Connect server's pod: the server (the driver) on loopback, reading its token from
 * its Secret-held spark-defaults, and the TLS terminator on the Connect port in front of
 * it (./connectAuthentication.ts).
 */
export function connectDeployment(config: PlatformConfig, release: ReleaseConfig): IDeployment {
  const connect = release.connect!;
  const serverConf = connectServerConfVolume(release);
  const tls = connectTlsVolume(release);
  const rpcSecret = rpcSecretFileVolume(release);
  return sparkDeployment(config, release, {
    component: "connect",
    name: release.names.connect,
    source: `${SOURCE}#connectDeployment`,
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
      // SPARK_CONF_DIR is the server's spark-defaults from its Secret (the token is in
      // them), not the release's ConfigMap.
      env: [...sparkEnv(serverConf.mount.mountPath), fieldEnv(CONNECT_POD_ENV.uid, "metadata.uid")],
      // No gRPC port here: the server binds loopback, the terminator owns the Connect port.
      ports: [
        { name: "http-ui", containerPort: PORTS.driverUi },
        { name: "driver-rpc", containerPort: PORTS.driverRpc },
        { name: "blockmanager", containerPort: PORTS.blockManager },
      ],
      readinessProbe: loopbackGrpcProbe(),
      livenessProbe: httpProbe(PORTS.driverUi, "/", 60, 20),
      resources: resources(
        connect.driverCpuRequest,
        connectContainerMiB(release),
        String(connect.driverCores),
      ),
    },
    extraMounts: [
      serverConf.mount,
      rpcSecret.mount,
      {
        name: "pod-templates",
        mountPath: EXECUTOR_TEMPLATE_PATH.replace(/\/[^/]+$/, ""),
        readOnly: true,
      },
    ],
    extraVolumes: [
      serverConf.volume,
      rpcSecret.volume,
      tls.volume,
      { name: "pod-templates", configMap: { name: release.names.executorPodTemplate } },
    ],
    sidecars: [connectTlsContainer(release, connect.tlsImage)],
  });
}

/**
 * Readiness of the server: its gRPC port accepts, on loopback. The kubelet's TCP probes
 * dial the pod IP, where the server no longer listens (and the terminator accepts before
 * the server is up), so the probe runs in the container: bash's /dev/tcp to the loopback
 * port (no client can be counted on in the image). The server binds it only after its
 * SparkContext started, so the pod is Ready when a client's session would start.
 */
export function loopbackGrpcProbe(): IProbe {
  return {
    exec: {
      command: [
        "/bin/bash",
        "-c",
        `exec 3<>/dev/tcp/${CONNECT_LOOPBACK_ADDRESS}/${PORTS.connectGrpcLoopback}`,
      ],
    },
    initialDelaySeconds: 20,
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 6,
  };
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
