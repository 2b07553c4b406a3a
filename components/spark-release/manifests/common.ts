import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IService } from "kubernetes-models/v1/Service";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IIoK8sApiCoreV1Volume as IVolume } from "kubernetes-models/v1/Volume";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { PlatformConfig, ReleaseConfig } from "../../../lib/config/model";
import {
  CONFIG_HASH_ANNOTATION,
  componentSelector,
  containerSecurityContext,
  fieldEnv,
  objectStoreCredentials,
  podSecurityContext,
  releaseLabels,
  releaseMetadata,
  renderSparkProperties,
  sha256,
  TMP_MOUNT,
  TMP_VOLUME,
  type Component,
  type Container,
} from "../../../lib/kube/objects";
import { sparkPodJars } from "../../../lib/jars/plan";
import { withPlacement } from "../../../lib/kube/placement";
import { SPARK_LOCAL_DIR, scratch, withEphemeralStorage } from "../../../lib/kube/storage";
import { SPARK_CONF_DIR, sparkDefaults } from "../../../lib/spark/defaults";
import { hadoopLineOf, SPARK_UID } from "../../../lib/spark/versions";

// What every release has whatever its mode: its ServiceAccount, spark-defaults, and the
// Deployment, Service and PodDisruptionBudget shapes the standalone and Connect builders
// (./standalone.ts, ./connect.ts) fill in.
const SOURCE = "components/spark-release/manifests/common.ts";
/** The image's working directory (the worker's --work-dir): an emptyDir in every Spark pod. */
export const WORK_DIR = "/opt/spark/work-dir";

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

/** The release's object-store keys as a file, for its Spark Hadoop line (every Spark pod). */
export function sparkObjectStoreCredentials(release: ReleaseConfig) {
  return objectStoreCredentials(
    release.names.objectStoreSecret,
    hadoopLineOf(release.line.hadoopVersion),
  );
}

/**
 * Env every Spark daemon gets; ports set explicitly (service-link pitfall). `confDir`: its
 * SPARK_CONF_DIR, the release's spark-defaults ConfigMap unless the container reads a
 * Secret-held copy with its credentials (the standalone master's driver conf, the Connect
 * server's conf).
 */
export function sparkEnv(confDir: string = SPARK_CONF_DIR) {
  return [
    { name: "SPARK_CONF_DIR", value: confDir },
    { name: "SPARK_NO_DAEMONIZE", value: "true" },
    { name: "SPARK_LOG_DIR", value: "/tmp/spark-logs" },
    { name: "SPARK_PID_DIR", value: "/tmp" },
    { name: "HOME", value: "/tmp" },
    fieldEnv("POD_IP", "status.podIP"),
    fieldEnv("POD_NAME", "metadata.name"),
  ];
}

function podTemplateMeta(config: PlatformConfig, release: ReleaseConfig, component: Component) {
  return {
    labels: releaseLabels(release, component),
    annotations: { [CONFIG_HASH_ANNOTATION]: sparkConfHash(config, release) },
  };
}

/** What differs between the release's Spark Deployments; the rest is shared below. */
export interface SparkDeploymentShape {
  readonly component: "master" | "worker" | "connect";
  readonly name: string;
  /** `<file>#<function>` of the builder, for the source annotation. */
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
  /** Containers beside the Spark one (the Connect server's TLS terminator), complete. */
  readonly sidecars?: Container[];
}

/**
 * A Spark Deployment of the release: its ServiceAccount, no service links, Pod Security
 * restricted, read-only root with writable /tmp, work dir and spark.local.dir (each an
 * emptyDir with a sizeLimit, their sum the container's ephemeral storage), spark-defaults
 * mounted, rolled when spark-defaults change.
 */
export function sparkDeployment(
  config: PlatformConfig,
  release: ReleaseConfig,
  shape: SparkDeploymentShape,
): IDeployment {
  const jars = sparkPodJars(config, release, shape.component, release.image);
  const work = scratch("work", WORK_DIR, shape.workDirMiB);
  const local = scratch("spark-local", SPARK_LOCAL_DIR, shape.localDirMiB);
  const objectStore = sparkObjectStoreCredentials(release);
  const volumes = [
    confVolume(release),
    objectStore.volume,
    ...(shape.extraVolumes ?? []),
    TMP_VOLUME,
    work.volume,
    local.volume,
    ...jars.volumes,
  ];
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: releaseMetadata(release, shape.component, shape.name, shape.source),
    spec: {
      replicas: shape.replicas,
      ...(shape.recreate ? { strategy: { type: "Recreate" } } : {}),
      selector: { matchLabels: componentSelector(release, shape.component) },
      template: {
        metadata: podTemplateMeta(config, release, shape.component),
        spec: withPlacement(
          {
            serviceAccountName: release.names.serviceAccount,
            automountServiceAccountToken: shape.mountToken,
            enableServiceLinks: false,
            securityContext: podSecurityContext(SPARK_UID),
            ...(jars.initContainers.length ? { initContainers: jars.initContainers } : {}),
            containers: [
              withEphemeralStorage(
                {
                  ...shape.container,
                  // The object-store keys' file: the variable naming it beside its mount.
                  env: [...(shape.container.env ?? []), ...objectStore.env, ...jars.env],
                  image: release.image,
                  securityContext: containerSecurityContext(),
                  volumeMounts: [
                    confMount,
                    objectStore.mount,
                    ...(shape.extraMounts ?? []),
                    TMP_MOUNT,
                    work.mount,
                    local.mount,
                    ...jars.mounts,
                  ],
                },
                volumes,
              ),
              ...(shape.sidecars ?? []),
            ],
            volumes,
          },
          release.placement,
        ),
      },
    },
  };
}

export function releaseService(
  release: ReleaseConfig,
  component: Component,
  name: string,
  ports: { name: string; port: number }[],
  source: string,
): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: releaseMetadata(release, component, name, source),
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
