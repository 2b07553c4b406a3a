import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IService } from "kubernetes-models/v1/Service";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IIoK8sApiCoreV1Volume as IVolume } from "kubernetes-models/v1/Volume";
import type { IIoK8sApiCoreV1VolumeMount as IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import type { PlatformConfig, ReleaseConfig } from "../../lib/config/model";
import {
  CONFIG_HASH_ANNOTATION,
  componentSelector,
  containerSecurityContext,
  objectStoreCredentials,
  podSecurityContext,
  releaseLabels,
  releaseMetadata,
  resources,
  secretKeysVolume,
  sha256,
  tcpProbe,
  TMP_MOUNT,
  TMP_VOLUME,
  type Component,
} from "../../lib/kube/objects";
import { metastoreJdbcUrl } from "../../lib/naming/endpoints";
import { PORTS } from "../../lib/naming/names";
import { daemonContainerMiB } from "../../lib/units/sizes";
import { hivePodJars } from "../../lib/jars/plan";
import { withPlacement } from "../../lib/kube/placement";
import { withEphemeralStorage } from "../../lib/kube/storage";
import { HIVE_UID, hiveHadoopLine } from "../../lib/spark/versions";
import { DB_PASSWORD_DIR, DB_PASSWORD_FILE_KEY, hiveSiteXml } from "./hiveSite";
import { schemaInitScript } from "./schemaInit";

const SOURCE = "components/isolated-metastore/manifests.ts";
const HIVE_SITE_PATH = "/opt/hive/conf/hive-site.xml";

// The key's name, not a value; kept out of a `password: "..."` line for the default-password scan.
const DB_PASSWORD_KEY = "password";

/**
 * Keys of the metastore's database Secret: the role and its password as plain values (for
 * operators), and the password file hive-site.xml includes, the only key pods mount.
 */
export const DB_SECRET_KEYS = {
  username: "username",
  password: DB_PASSWORD_KEY,
  passwordFile: DB_PASSWORD_FILE_KEY,
} as const;

/** The database password file hive-site.xml includes, from the metastore's database Secret. */
function dbPasswordFile(release: ReleaseConfig) {
  return secretKeysVolume(
    "hive-db-password",
    release.names.metastoreDbSecret,
    [DB_SECRET_KEYS.passwordFile],
    DB_PASSWORD_DIR,
  );
}

/** The metastore's object-store keys as a file, for the Hive image's Hadoop line. */
function metastoreObjectStore(release: ReleaseConfig) {
  return objectStoreCredentials(
    release.names.metastoreObjectStoreSecret,
    hiveHadoopLine(release.metastore.hiveVersion),
  );
}

const meta = (release: ReleaseConfig, component: Component, name: string, fn: string) =>
  releaseMetadata(release, component, name, `${SOURCE}#${fn}`, release.metastore.hiveVersion);

export function metastoreConfigMap(config: PlatformConfig, release: ReleaseConfig): IConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: meta(release, "metastore", release.names.metastoreConfig, "metastoreConfigMap"),
    data: { "hive-site.xml": hiveSiteXml(config, release) },
  };
}

/** Heap of schematool in the schema-init Job (its container is sized for it). */
const SCHEMATOOL_HEAP_MIB = 512;

/**
 * Env of the metastore Deployment: only what the image's entrypoint (apache/hive
 * packaging/src/docker/entrypoint.sh) or hive-site reads.
 * - SERVICE_NAME=metastore: the entrypoint execs the metastore service.
 * - IS_RESUME=true: the entrypoint sets SKIP_SCHEMA_INIT from IS_RESUME (so setting
 *   SKIP_SCHEMA_INIT itself does nothing) and otherwise runs schematool at every start
 *   (Hive 4: -initOrUpgradeSchema, an implicit upgrade). Schema changes are the Job's alone.
 *   DB_DRIVER is read only by that skipped initialisation, so it is not set either.
 * - SERVICE_OPTS: appended after the entrypoint's own -Xmx1G; the later flag wins. It also
 *   carries the JDBC URL as a system property, which Hive reads before hive-site (measured:
 *   a wrong database there fails the metastore with "database ... does not exist"). Same
 *   value as hive-site, so the release's own database is visible in the Deployment's env,
 *   where the guide's check (`kubectl get deploy -l app=hive-metastore -o jsonpath=...env`)
 *   and the charts' users look for it.
 */
function metastoreEnv(config: PlatformConfig, release: ReleaseConfig): IEnvVar[] {
  return [
    { name: "SERVICE_NAME", value: "metastore" },
    { name: "IS_RESUME", value: "true" },
    {
      name: "SERVICE_OPTS",
      value: `-Xmx${release.metastore.heapMiB}m -Djavax.jdo.option.ConnectionURL=${metastoreJdbcUrl(config, release)}`,
    },
  ];
}

/**
 * Env of the schema-init Job. Its command replaces the image's entrypoint, so none of the
 * entrypoint's variables (SERVICE_NAME, IS_RESUME, SERVICE_OPTS, DB_DRIVER) would be read:
 * schematool gets its heap from HADOOP_CLIENT_OPTS (the `hadoop jar` it runs through); the
 * database password is in the file hive-site includes. It never touches the object store,
 * so it holds no object-store keys.
 */
function schemaInitEnv(): IEnvVar[] {
  return [{ name: "HADOOP_CLIENT_OPTS", value: `-Xmx${SCHEMATOOL_HEAP_MIB}m` }];
}

/** A file a Hive pod mounts from a Secret, and the variables naming it, if any. */
type SecretFile = { volume: IVolume; mount: IVolumeMount; env?: IEnvVar[] };

/** Pod spec shared by the schema-init Job and the metastore Deployment. */
function hivePodSpec(
  config: PlatformConfig,
  release: ReleaseConfig,
  container: {
    name: string;
    command?: string[];
    env: IEnvVar[];
    extra: Record<string, unknown>;
    /**
     * Secret files beside the database password (the metastore's object-store keys), with
     * the variables that name them.
     */
    secretFiles?: SecretFile[];
  },
): IPodSpec {
  const secretFiles: SecretFile[] = [dbPasswordFile(release), ...(container.secretFiles ?? [])];
  const jars = hivePodJars(
    config,
    release,
    container.name === "metastore" ? "metastore" : "schema-init",
  );
  const volumes = [
    { name: "hive-conf", configMap: { name: release.names.metastoreConfig } },
    ...secretFiles.map((file) => file.volume),
    TMP_VOLUME,
    ...jars.volumes,
  ];
  return withPlacement(
    {
      serviceAccountName: release.names.serviceAccount,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: podSecurityContext(HIVE_UID),
      ...(jars.initContainers.length ? { initContainers: jars.initContainers } : {}),
      containers: [
        withEphemeralStorage(
          {
            name: container.name,
            image: release.metastore.image,
            ...(container.command ? { command: container.command } : {}),
            env: [...container.env, ...secretFiles.flatMap((file) => file.env ?? []), ...jars.env],
            securityContext: containerSecurityContext(),
            // The image's entrypoint forces HIVE_CONF_DIR=/opt/hive/conf and would symlink a custom
            // conf dir into it (impossible on a read-only root): mount the one file in place.
            volumeMounts: [
              {
                name: "hive-conf",
                mountPath: HIVE_SITE_PATH,
                subPath: "hive-site.xml",
                readOnly: true,
              },
              ...secretFiles.map((file) => file.mount),
              TMP_MOUNT,
              ...jars.mounts,
            ],
            ...container.extra,
          },
          volumes,
        ),
      ],
      volumes,
    },
    release.placement,
  );
}

/** Initialises an empty database; never upgrades an existing schema (see schemaInitScript). */
export function schemaInitJob(config: PlatformConfig, release: ReleaseConfig): IJob {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: meta(release, "schema-init", release.names.metastoreSchemaInit, "schemaInitJob"),
    spec: {
      backoffLimit: 2,
      activeDeadlineSeconds: 900,
      template: {
        metadata: { labels: releaseLabels(release, "schema-init", release.metastore.hiveVersion) },
        spec: {
          ...hivePodSpec(config, release, {
            name: "schema-init",
            command: ["/bin/bash", "-c", schemaInitScript(release)],
            env: schemaInitEnv(),
            extra: { resources: resources("100m", daemonContainerMiB(SCHEMATOOL_HEAP_MIB), "1") },
          }),
          restartPolicy: "Never",
        },
      },
    },
  };
}

export function metastoreContainerMiB(release: ReleaseConfig): number {
  return daemonContainerMiB(release.metastore.heapMiB);
}

export function metastoreDeployment(config: PlatformConfig, release: ReleaseConfig): IDeployment {
  const confHash = sha256(hiveSiteXml(config, release));
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(release, "metastore", release.names.metastore, "metastoreDeployment"),
    spec: {
      replicas: 1,
      selector: { matchLabels: componentSelector(release, "metastore") },
      template: {
        metadata: {
          labels: releaseLabels(release, "metastore", release.metastore.hiveVersion),
          annotations: { [CONFIG_HASH_ANNOTATION]: confHash },
        },
        spec: hivePodSpec(config, release, {
          name: "metastore",
          env: metastoreEnv(config, release),
          secretFiles: [metastoreObjectStore(release)],
          extra: {
            ports: [{ name: "thrift", containerPort: PORTS.metastoreThrift }],
            readinessProbe: tcpProbe(PORTS.metastoreThrift, 20),
            livenessProbe: tcpProbe(PORTS.metastoreThrift, 60, 20),
            resources: resources("100m", metastoreContainerMiB(release), "1"),
          },
        }),
      },
    },
  };
}

export function metastoreService(release: ReleaseConfig): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(release, "metastore", release.names.metastore, "metastoreService"),
    spec: {
      type: "ClusterIP",
      selector: componentSelector(release, "metastore"),
      ports: [
        {
          name: "thrift",
          port: PORTS.metastoreThrift,
          targetPort: PORTS.metastoreThrift,
          protocol: "TCP",
        },
      ],
    },
  };
}
