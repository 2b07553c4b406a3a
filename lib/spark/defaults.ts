import type { PlatformConfig, ReleaseConfig } from "../config/model";
import { releaseEndpoints } from "../naming/endpoints";
import { RELEASE_LABEL } from "../kube/objects";
import { PORTS } from "../naming/names";
import { prometheusSinkProperties } from "./metrics";
import { s3aSettings } from "./s3a";
import {
  HISTORY_STORE_DIR,
  MASTER_RECOVERY_MOUNT,
  SPARK_LOCAL_DIR,
  historyMaxDiskUsage,
} from "../kube/storage";
import { hadoopLineOf } from "./versions";
import {
  authenticatesRpc,
  connectRpcSecurityProperties,
  readsRpcSecretFile,
  RPC_SECURITY_PROPERTIES,
} from "./authentication";
import { CONNECT_LOOPBACK_BINDING } from "./connectAuthentication";

/** A Connect release's `spark.master`: the cluster's API server, through its Service. */
export function connectSparkMaster(config: PlatformConfig): string {
  return `k8s://https://kubernetes.default.svc:${config.kubernetes.apiServerPort}`;
}

/** Where the release's pods mount their configuration. */
export const SPARK_CONF_DIR = "/opt/spark/conf-release";
export const EXECUTOR_TEMPLATE_PATH = "/opt/spark/pod-templates/executor.yaml";

/**
 * spark-defaults.conf of one release: wired to this release's metastore, event-log
 * prefix and warehouse only. Holds no credentials (it is a ConfigMap).
 */
export function sparkDefaults(
  config: PlatformConfig,
  release: ReleaseConfig,
): Record<string, string> {
  const endpoints = releaseEndpoints(release);
  const conf: Record<string, string> = {
    "spark.eventLog.enabled": "true",
    "spark.eventLog.dir": release.history.eventLogDir,
    "spark.sql.warehouse.dir": release.warehouseDir,
    "spark.ui.prometheus.enabled": "true",
    "spark.jars.ivy": "/tmp/.ivy2",
    // Its own emptyDir in every pod that runs a driver or executors (lib/kube/storage.ts).
    "spark.local.dir": SPARK_LOCAL_DIR,
  };
  for (const [key, value] of Object.entries(
    s3aSettings(config.objectStore, hadoopLineOf(release.line.hadoopVersion)),
  )) {
    conf[`spark.hadoop.${key}`] = value;
  }
  if (endpoints.metastoreUri) {
    conf["spark.sql.catalogImplementation"] = "hive";
    conf["spark.hadoop.hive.metastore.uris"] = endpoints.metastoreUri;
  } else {
    conf["spark.sql.catalogImplementation"] = "in-memory";
  }

  if (release.standalone) {
    conf["spark.master"] = endpoints.masterUrl ?? "";
    // The master advertises its pod IP; after a master restart workers must dial the
    // Service name they were given, not the old IP.
    conf["spark.worker.preferConfiguredMasterAddress"] = "true";
    // What an application that does not size its executors gets: never more than a worker
    // offers (Spark's 1g default waits forever on a smaller worker).
    conf["spark.executor.memory"] = `${release.standalone.executorMemoryMiB}m`;
    // The worker's --work-dir is a bounded emptyDir: executor logs roll (at most 4 files
    // of 16 MiB per stream and executor) and finished applications' directories go after a day.
    Object.assign(conf, {
      "spark.executor.logs.rolling.strategy": "size",
      "spark.executor.logs.rolling.maxSize": String(16 * 1024 * 1024),
      "spark.executor.logs.rolling.maxRetainedFiles": "3",
      "spark.worker.cleanup.enabled": "true",
      "spark.worker.cleanup.appDataTtl": String(24 * 3600),
    });
  }
  // Authenticated, encrypted RPC; the secret itself is never here, only, for Connect, the
  // path its server and executors read it from (lib/spark/authentication.ts).
  if (authenticatesRpc(release)) Object.assign(conf, RPC_SECURITY_PROPERTIES);
  if (readsRpcSecretFile(release)) Object.assign(conf, connectRpcSecurityProperties());
  if (release.connect) {
    const c = release.connect;
    Object.assign(conf, {
      "spark.master": connectSparkMaster(config),
      "spark.submit.deployMode": "client",
      "spark.kubernetes.namespace": release.namespace,
      "spark.kubernetes.container.image": release.image,
      "spark.kubernetes.authenticate.executor.serviceAccountName": release.names.serviceAccount,
      // spark.kubernetes.executor.podNamePrefix and spark.driver.host are set per start on
      // the server's command line (components/spark-release/connectServer.ts): the run id and the pod IP.
      "spark.kubernetes.executor.podTemplateFile": EXECUTOR_TEMPLATE_PATH,
      "spark.kubernetes.executor.podTemplateContainerName": "executor",
      [`spark.kubernetes.executor.label.${RELEASE_LABEL}`]: release.name,
      "spark.kubernetes.executor.label.app.kubernetes.io/component": "executor",
      // The server's account may create only objects with the release label (its
      // ValidatingAdmissionPolicy), and Spark labels the executor ConfigMap
      // (spark-exec-*-conf-map) with its app id and role only. It would carry nothing
      // needed: the conf dir minus spark*.conf (which is all it holds) and the namespace,
      // which executors get from the driver with the rest of the conf.
      "spark.kubernetes.executor.disableConfigMap": "true",
      "spark.kubernetes.executor.request.cores": c.executorCpuRequest,
      // Without a limit executors could use every core of a node; Spark sets none by default.
      "spark.kubernetes.executor.limit.cores": String(c.executorCores),
      "spark.driver.bindAddress": "0.0.0.0",
      "spark.driver.port": String(PORTS.driverRpc),
      "spark.driver.blockManager.port": String(PORTS.blockManager),
      "spark.blockManager.port": String(PORTS.blockManager),
      "spark.driver.memory": `${c.driverMemoryMiB}m`,
      "spark.driver.cores": String(c.driverCores),
      "spark.executor.memory": `${c.executorMemoryMiB}m`,
      "spark.executor.cores": String(c.executorCores),
      // Loopback only: the TLS terminator beside the server owns the Connect port
      // (lib/spark/connectAuthentication.ts); the server's Secret-held spark-defaults
      // apply this again over the release's sparkConf.
      ...CONNECT_LOOPBACK_BINDING,
      "spark.ui.port": String(PORTS.driverUi),
    });
    // The server is one application for as long as it runs, and an S3 object exists only
    // once written whole: a single event log shows nothing until the server stops. A
    // rolled log closes a file each time the next event would pass maxFileSize, and the
    // History Server lists a running application from its closed files.
    if (release.history.rollingMaxFileSizeMiB !== undefined) {
      conf["spark.eventLog.rolling.enabled"] = "true";
      conf["spark.eventLog.rolling.maxFileSize"] = `${release.history.rollingMaxFileSizeMiB}m`;
    }
    if (c.dynamicAllocation.enabled) {
      Object.assign(conf, {
        "spark.dynamicAllocation.enabled": "true",
        // No external shuffle service on Kubernetes: track shuffle files instead.
        "spark.dynamicAllocation.shuffleTracking.enabled": "true",
        "spark.dynamicAllocation.minExecutors": String(c.dynamicAllocation.minExecutors),
        "spark.dynamicAllocation.maxExecutors": String(c.dynamicAllocation.maxExecutors),
      });
    } else {
      conf["spark.executor.instances"] = String(c.executorInstances);
    }
  }
  // The Prometheus sink (monitoring on) before the release's own sparkConf, like the rest.
  return { ...conf, ...prometheusSinkProperties(config), ...release.sparkConf };
}

/**
 * Where the standalone master keeps its recovery state: a directory per Spark version on
 * the release's recovery claim. The master writes its registered workers and applications
 * there as Java-serialized objects, which a master of another version may fail to read at
 * start; a version change restarts the workers as well, so starting empty loses nothing.
 * Spark creates this last directory level itself.
 */
export function masterRecoveryDirectory(release: ReleaseConfig): string {
  return `${MASTER_RECOVERY_MOUNT}/${release.sparkVersion}`;
}

/**
 * The standalone master's recovery settings, empty when recovery is off. They are the
 * master's own JVM options (SPARK_MASTER_OPTS), not spark-defaults: workers and drivers
 * read spark-defaults and recover nothing, and a change there would roll the workers
 * (their pod template carries the spark-defaults hash) and kill running applications.
 */
export function masterRecoveryProperties(release: ReleaseConfig): Record<string, string> {
  if (!release.standalone?.recovery.enabled) return {};
  return {
    "spark.deploy.recoveryMode": "FILESYSTEM",
    "spark.deploy.recoveryDirectory": masterRecoveryDirectory(release),
  };
}

/** Settings of the History Server: reads this release's prefix and nothing else. */
export function historyServerDefaults(
  config: PlatformConfig,
  release: ReleaseConfig,
): Record<string, string> {
  const conf: Record<string, string> = {
    "spark.history.fs.logDirectory": release.history.eventLogDir,
    "spark.history.ui.port": String(PORTS.historyUi),
    "spark.history.fs.cleaner.enabled": "false",
    // The disk store (parsed application UIs) has its own emptyDir; the server evicts old
    // stores past maxDiskUsage, kept below the volume's sizeLimit.
    "spark.history.store.path": HISTORY_STORE_DIR,
    "spark.history.store.maxDiskUsage": historyMaxDiskUsage(release.history.storeMiB),
  };
  for (const [key, value] of Object.entries(
    s3aSettings(config.objectStore, hadoopLineOf(release.line.hadoopVersion)),
  )) {
    conf[`spark.hadoop.${key}`] = value;
  }
  return conf;
}
