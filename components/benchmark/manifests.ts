import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { PlatformConfig, ReleaseConfig } from "../../lib/config/model";
import { releaseEndpoints } from "../../lib/naming/endpoints";
import {
  CONFIG_HASH_ANNOTATION,
  containerSecurityContext,
  fieldEnv,
  podSecurityContext,
  releaseLabels,
  releaseMetadata,
  resources,
  sha256,
  TMP_MOUNT,
  TMP_VOLUME,
  secretKeysVolume,
} from "../../lib/kube/objects";
import { PORTS } from "../../lib/naming/names";
import { jvmContainerMiB } from "../../lib/units/sizes";
import { sparkPodJars } from "../../lib/jars/plan";
import { withPlacement } from "../../lib/kube/placement";
import { SPARK_UID } from "../../lib/spark/versions";
import {
  SMALL_LOCAL_DIR_MIB,
  SPARK_LOCAL_DIR,
  WORK_DIR_MIB,
  scratch,
  withEphemeralStorage,
} from "../../lib/kube/storage";
import { SPARK_CONF_DIR } from "../../lib/spark/defaults";
import { CONNECT_SERVER_KEYS, GRPC_ROOTS_ENV } from "../../lib/spark/connectAuthentication";
import { driverConfVolume } from "../spark-release/manifests/authentication";
import { sparkObjectStoreCredentials } from "../spark-release/manifests/common";
import { benchmarkScript } from "./benchmarkScript";

const SOURCE = "components/benchmark/manifests.ts";
/** Where the benchmark ConfigMap is mounted. */
export const BENCHMARK_DIR = "/opt/spark/benchmark";
export const BENCHMARK_SCRIPT = "benchmark.py";
const WORK_DIR = "/opt/spark/work-dir";
/** Heap of the benchmark's driver (standalone: the driver runs in the Job pod). */
const DRIVER_HEAP_MIB = 512;
/** Memory of the Connect client pod: Python, gRPC and Arrow, no JVM. */
const CONNECT_CLIENT_MIB = 512;
/** A run that has not finished in an hour is stuck (no executors, unreachable server). */
const DEADLINE_SECONDS = 3600;

/**
 * Where a release's benchmark results go: `s3a://<bucket>/<event-log prefix>/benchmark`.
 * Under the release's own event-log prefix because that prefix is the one path the
 * config validation guarantees no other release shares or overlaps (its parent is not).
 * The History Server ignores it: it reads only files and `eventlog_v2_*` directories.
 * Each run writes `<dir>/<UTC start>-<applicationId>/part-*.txt`, one JSON line.
 */
export function benchmarkResultDir(release: ReleaseConfig): string {
  return `${release.history.eventLogDir}/benchmark`;
}

/** The URL the benchmark connects to: the release's master or Connect endpoint. */
export function benchmarkTarget(release: ReleaseConfig): string {
  return releaseEndpoints(release).connectionUrl;
}

/**
 * Image of the benchmark pod. Standalone: the release's own image, so spark-submit and
 * the driver are exactly the cluster's version. Connect: `benchmark.image` (an image
 * with `pyspark-client==<sparkVersion>` and its grpcio/pandas/pyarrow dependencies),
 * which config validation requires (lib/config/benchmark.ts): the release image lacks them.
 */
export function benchmarkImage(config: PlatformConfig, release: ReleaseConfig): string {
  if (release.mode !== "connect") return release.image;
  if (config.benchmark.image === undefined) {
    throw new Error(`benchmark of Connect release ${release.name} needs benchmark.image`);
  }
  return config.benchmark.image;
}

export function benchmarkConfigMap(release: ReleaseConfig): IConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: releaseMetadata(
      release,
      "benchmark",
      release.names.benchmarkConfig,
      `${SOURCE}#benchmarkConfigMap`,
    ),
    data: { [BENCHMARK_SCRIPT]: benchmarkScript() },
  };
}

/** The container command: spark-submit to the master, or the Python Connect client. */
export function benchmarkCommand(release: ReleaseConfig): string[] {
  const script = `${BENCHMARK_DIR}/${BENCHMARK_SCRIPT}`;
  if (release.mode === "connect") return ["python3", script];
  const standalone = release.standalone!;
  // One executor per worker, sized to what the worker offers, so it is always placeable.
  const executors = Math.max(1, standalone.workers);
  return [
    "/opt/spark/bin/spark-submit",
    "--master",
    benchmarkTarget(release),
    "--deploy-mode",
    "client",
    "--name",
    release.names.benchmark,
    "--driver-memory",
    `${DRIVER_HEAP_MIB}m`,
    "--executor-memory",
    `${standalone.workerMemoryMiB}m`,
    "--executor-cores",
    String(standalone.workerCores),
    "--total-executor-cores",
    String(executors * standalone.workerCores),
    // Executors on the workers connect back to this pod: fixed ports the policies allow.
    "--conf",
    "spark.driver.host=$(POD_IP)",
    "--conf",
    "spark.driver.bindAddress=0.0.0.0",
    "--conf",
    `spark.driver.port=${PORTS.driverRpc}`,
    "--conf",
    `spark.blockManager.port=${PORTS.blockManager}`,
    script,
  ];
}

function benchmarkEnv(
  config: PlatformConfig,
  release: ReleaseConfig,
  objectStoreEnv: IEnvVar[],
): IEnvVar[] {
  const env: IEnvVar[] = [
    { name: "BENCH_RELEASE", value: release.name },
    { name: "BENCH_MODE", value: release.mode },
    { name: "BENCH_ROWS", value: String(config.benchmark.rows) },
    { name: "BENCH_PARTITIONS", value: String(config.benchmark.partitions) },
    { name: "BENCH_RESULT_DIR", value: benchmarkResultDir(release) },
    { name: "HOME", value: "/tmp" },
    { name: "PYTHONDONTWRITEBYTECODE", value: "1" },
  ];
  if (release.mode === "connect") {
    // The Connect server writes the result with its own Secret; the client holds no
    // object-store keys. It is a pod of the release, not a granted client: it reads the
    // server's token and certificate chain from the server's Secret (connectBenchmarkAuth).
    return [
      ...env,
      { name: "BENCH_CONNECT_URL", value: benchmarkTarget(release) },
      { name: "BENCH_CONNECT_CONF", value: `${BENCH_CONNECT_DIR}/${CONNECT_SERVER_KEYS.defaults}` },
      { name: GRPC_ROOTS_ENV, value: `${BENCH_CONNECT_DIR}/${CONNECT_SERVER_KEYS.tlsCert}` },
    ];
  }
  // The driver runs here: it reads the release's spark-defaults (event log, s3a, metastore,
  // and the authentication secret, from the release's Secret) and writes the event log and
  // the result with the release's object-store Secret.
  return [
    ...env,
    { name: "SPARK_CONF_DIR", value: SPARK_CONF_DIR },
    fieldEnv("POD_IP", "status.podIP"),
    ...objectStoreEnv,
  ];
}

/** Where a Connect benchmark pod mounts the server's spark-defaults and certificate chain. */
const BENCH_CONNECT_DIR = "/etc/spark-connect-benchmark";

/**
 * The server's spark-defaults (its token) and certificate chain (server, then CA: the
 * roots the gRPC client trusts), and never its private key: `items` picks the two keys.
 */
function connectBenchmarkAuth(release: ReleaseConfig) {
  return secretKeysVolume(
    "connect-auth",
    release.names.connectServerSecret,
    [CONNECT_SERVER_KEYS.defaults, CONNECT_SERVER_KEYS.tlsCert],
    BENCH_CONNECT_DIR,
  );
}

/**
 * The benchmark Job of one release. Runs once per configuration (a changed workload
 * replaces the Job, which reruns it); never retried, since a retry would time a warm
 * cluster. `pulumi up` does not wait for it to finish.
 */
export function benchmarkJob(config: PlatformConfig, release: ReleaseConfig): IJob {
  const standalone = release.mode === "standalone";
  const script = benchmarkScript();
  // The standalone driver runs here and opens s3a; the Connect client has no JVM (no jars).
  const jars = sparkPodJars(config, release, "benchmark", benchmarkImage(config, release));
  const work = scratch("work", WORK_DIR, WORK_DIR_MIB);
  // The standalone driver reads spark-defaults, so it writes to spark.local.dir.
  const local = scratch("spark-local", SPARK_LOCAL_DIR, SMALL_LOCAL_DIR_MIB);
  // Its spark-defaults come with the release's authentication secret, from its Secret.
  const driverConf = driverConfVolume(release, SPARK_CONF_DIR);
  const connectAuth = connectBenchmarkAuth(release);
  const objectStore = sparkObjectStoreCredentials(release);
  const volumes = [
    { name: "benchmark", configMap: { name: release.names.benchmarkConfig } },
    ...(standalone ? [driverConf.volume, local.volume, objectStore.volume] : [connectAuth.volume]),
    TMP_VOLUME,
    work.volume,
    ...jars.volumes,
  ];
  const metadata = releaseMetadata(
    release,
    "benchmark",
    release.names.benchmark,
    `${SOURCE}#benchmarkJob`,
  );
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      ...metadata,
      annotations: { ...metadata.annotations, "pulumi.com/skipAwait": "true" },
    },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: DEADLINE_SECONDS,
      template: {
        metadata: {
          // A pod of the release (allow-intra-release admits it everywhere in the release),
          // not a client: the client label would claim a grant its namespace does not hold.
          labels: releaseLabels(release, "benchmark"),
          annotations: { [CONFIG_HASH_ANNOTATION]: sha256(script) },
        },
        spec: withPlacement(
          {
            restartPolicy: "Never",
            serviceAccountName: release.names.serviceAccount,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(SPARK_UID),
            ...(jars.initContainers.length ? { initContainers: jars.initContainers } : {}),
            containers: [
              withEphemeralStorage(
                {
                  name: "benchmark",
                  image: benchmarkImage(config, release),
                  args: benchmarkCommand(release),
                  env: [...benchmarkEnv(config, release, objectStore.env), ...jars.env],
                  ...(standalone
                    ? {
                        ports: [
                          { name: "driver-rpc", containerPort: PORTS.driverRpc },
                          { name: "blockmanager", containerPort: PORTS.blockManager },
                        ],
                      }
                    : {}),
                  resources: standalone
                    ? resources("500m", jvmContainerMiB(DRIVER_HEAP_MIB), "1")
                    : resources("250m", CONNECT_CLIENT_MIB, "1"),
                  securityContext: containerSecurityContext(),
                  volumeMounts: [
                    { name: "benchmark", mountPath: BENCHMARK_DIR, readOnly: true },
                    ...(standalone ? [driverConf.mount] : [connectAuth.mount]),
                    TMP_MOUNT,
                    work.mount,
                    ...(standalone ? [local.mount, objectStore.mount] : []),
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
