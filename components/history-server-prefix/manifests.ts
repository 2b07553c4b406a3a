import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IService } from "kubernetes-models/v1/Service";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { PlatformConfig, ReleaseConfig } from "../../lib/config/model";
import {
  CONFIG_HASH_ANNOTATION,
  componentSelector,
  containerSecurityContext,
  httpProbe,
  objectStoreCredentials,
  podSecurityContext,
  releaseLabels,
  releaseMetadata,
  renderSparkProperties,
  resources,
  sha256,
  TMP_MOUNT,
  TMP_VOLUME,
} from "../../lib/kube/objects";
import { PORTS } from "../../lib/naming/names";
import { daemonContainerMiB } from "../../lib/units/sizes";
import { sparkPodJars } from "../../lib/jars/plan";
import { withPlacement } from "../../lib/kube/placement";
import {
  HISTORY_STORE_DIR,
  WORK_DIR_MIB,
  scratch,
  withEphemeralStorage,
} from "../../lib/kube/storage";
import { hadoopLineOf, SPARK_UID } from "../../lib/spark/versions";
import { historyServerDefaults } from "../../lib/spark/defaults";

const SOURCE = "components/history-server-prefix/manifests.ts";
const CONF_DIR = "/opt/spark/conf-history";
/**
 * The image's working directory: the JVM writes crash logs (hs_err) there, and the root
 * filesystem is read-only, so it gets an emptyDir like every other Spark pod.
 */
const WORK_DIR = "/opt/spark/work-dir";

/** Key of the marker object that makes the prefix exist before the server starts. */
export function markerKey(release: ReleaseConfig): string {
  return `${release.history.prefix}/.keep`;
}

/**
 * The History Server's logging: Spark's default console layout, plus each scan of the log
 * directory. Spark 4 logs "Scanning s3a://... with lastScanTime" at INFO, 3.5 only at DEBUG;
 * naming the directory on every scan is what lets an operator (and the guide's
 * `kubectl logs -l app=spark-history-server | grep s3a://spark-logs`) see which prefix a
 * server reads, long after start-up has scrolled away.
 */
export const HISTORY_LOG4J2 = [
  "rootLogger.level = info",
  "rootLogger.appenderRef.stdout.ref = console",
  "appender.console.type = Console",
  "appender.console.name = console",
  "appender.console.target = SYSTEM_ERR",
  "appender.console.layout.type = PatternLayout",
  "appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex",
  "logger.scan.name = org.apache.spark.deploy.history.FsHistoryProvider",
  "logger.scan.level = debug",
  "",
].join("\n");

export function historyConfigMap(config: PlatformConfig, release: ReleaseConfig): IConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: releaseMetadata(
      release,
      "history",
      release.names.historyConfig,
      `${SOURCE}#historyConfigMap`,
    ),
    data: {
      "spark-defaults.conf": renderSparkProperties(historyServerDefaults(config, release)),
      "log4j2.properties": HISTORY_LOG4J2,
    },
  };
}

export function historyContainerMiB(release: ReleaseConfig): number {
  return daemonContainerMiB(release.history.heapMiB);
}

export function historyDeployment(config: PlatformConfig, release: ReleaseConfig): IDeployment {
  const conf = renderSparkProperties(historyServerDefaults(config, release));
  const jars = sparkPodJars(config, release, "history", release.history.image);
  const work = scratch("work", WORK_DIR, WORK_DIR_MIB);
  const store = scratch("history-store", HISTORY_STORE_DIR, release.history.storeMiB);
  // Its own object-store Secret; the release's Spark (and so SDK) line.
  const objectStore = objectStoreCredentials(
    release.names.historyObjectStoreSecret,
    hadoopLineOf(release.line.hadoopVersion),
  );
  const volumes = [
    { name: "history-conf", configMap: { name: release.names.historyConfig } },
    objectStore.volume,
    TMP_VOLUME,
    work.volume,
    store.volume,
    ...jars.volumes,
  ];
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: releaseMetadata(
      release,
      "history",
      release.names.history,
      `${SOURCE}#historyDeployment`,
    ),
    spec: {
      replicas: 1,
      selector: { matchLabels: componentSelector(release, "history") },
      template: {
        metadata: {
          labels: releaseLabels(release, "history"),
          annotations: { [CONFIG_HASH_ANNOTATION]: sha256(conf + HISTORY_LOG4J2) },
        },
        spec: withPlacement(
          {
            serviceAccountName: release.names.serviceAccount,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(SPARK_UID),
            ...(jars.initContainers.length ? { initContainers: jars.initContainers } : {}),
            containers: [
              withEphemeralStorage(
                {
                  name: "history",
                  image: release.history.image,
                  args: [
                    "/opt/spark/bin/spark-class",
                    "org.apache.spark.deploy.history.HistoryServer",
                  ],
                  env: [
                    { name: "SPARK_CONF_DIR", value: CONF_DIR },
                    { name: "SPARK_NO_DAEMONIZE", value: "true" },
                    { name: "SPARK_DAEMON_MEMORY", value: `${release.history.heapMiB}m` },
                    { name: "HOME", value: "/tmp" },
                    ...objectStore.env,
                    ...jars.env,
                  ],
                  ports: [{ name: "http-ui", containerPort: PORTS.historyUi }],
                  readinessProbe: httpProbe(PORTS.historyUi, "/", 15),
                  livenessProbe: httpProbe(PORTS.historyUi, "/", 60, 20),
                  resources: resources("100m", historyContainerMiB(release), "1"),
                  securityContext: containerSecurityContext(),
                  volumeMounts: [
                    { name: "history-conf", mountPath: CONF_DIR, readOnly: true },
                    objectStore.mount,
                    TMP_MOUNT,
                    work.mount,
                    store.mount,
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
      },
    },
  };
}

export function historyService(release: ReleaseConfig): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: releaseMetadata(
      release,
      "history",
      release.names.history,
      `${SOURCE}#historyService`,
    ),
    spec: {
      type: "ClusterIP",
      selector: componentSelector(release, "history"),
      ports: [
        { name: "http-ui", port: PORTS.historyUi, targetPort: PORTS.historyUi, protocol: "TCP" },
      ],
    },
  };
}
