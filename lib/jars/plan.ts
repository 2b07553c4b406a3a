import type { IIoK8sApiCoreV1Container as IContainer } from "kubernetes-models/v1/Container";
import type { IIoK8sApiCoreV1EnvVar as IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IIoK8sApiCoreV1Volume as IVolume } from "kubernetes-models/v1/Volume";
import type { IIoK8sApiCoreV1VolumeMount as IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import type { PlatformConfig, ReleaseConfig } from "../config/model";
import { containerSecurityContext, resources } from "../kube/objects";
import {
  JAR_SETS,
  jarFileName,
  sparkS3aSet,
  totalBytes,
  type JarArtifact,
  type JarSet,
} from "./catalog";
import { checkScript, downloaderCommand, requirementsIn, type JarRequirement } from "./scripts";

/**
 * Which pods get which jars, and how they reach the classpath: pure decisions over the
 * resolved config, used by every component that builds a pod.
 */

/** The pods of a release, as far as jars are concerned. */
export type JarPod =
  | "master"
  | "worker"
  | "connect"
  | "executor"
  | "history"
  | "benchmark"
  | "metastore"
  | "schema-init";

/** Where downloaded jars are mounted in Spark pods (an emptyDir). */
export const SPARK_JARS_DIR = "/opt/spark-platform/jars";
/** Where a derived Spark image carries them: Spark's own jars directory, always on the classpath. */
export const IMAGE_SPARK_JARS_DIR = "/opt/spark/jars";
/** The Hive images' lib directory: bin/hive puts every jar in it on the classpath. */
export const HIVE_LIB_DIR = "/opt/hive/lib";
/** hadoop-aws and its SDK in the Hive images (enabled by HADOOP_OPTIONAL_TOOLS). */
export const HADOOP_TOOLS_LIB_DIR = "/opt/hadoop/share/hadoop/tools/lib";
/** Name of the emptyDir volume holding downloaded jars. */
export const JARS_VOLUME = "platform-jars";
export const FETCH_CONTAINER = "fetch-jars";
export const CHECK_CONTAINER = "check-jars";

/**
 * The PostgreSQL driver each official Hive image ships in /opt/hive/lib: 3.1.3 carries
 * 9.4.1208 (no SCRAM; it comes with the Druid handler's dependencies), 4.0.0 none.
 */
export const IMAGE_POSTGRES_DRIVER: Readonly<Record<string, string | undefined>> = {
  "3.1.3": "postgresql-9.4.1208.jre7.jar",
  "4.0.0": undefined,
};

/**
 * The jar sets a pod needs. Every Spark pod whose JVMs may open s3a:// paths gets the s3a
 * set of its line: workers (the executors they launch read and write tables and event
 * logs), the Connect server (driver) and its executors, the History Server, the standalone
 * benchmark (its driver runs in the Job pod), and the standalone master. The master daemon
 * itself never opens s3a, but its pod mounts the release's spark-defaults, whose event log
 * is on s3a: a `spark-submit` run inside it would otherwise die
 * with ClassNotFoundException S3AFileSystem, and with SDK modules instead of bundles the set
 * costs a few MB. The Connect benchmark is a Python client without a JVM: it gets nothing
 * and starts without a download. Hive pods get the PostgreSQL driver; their s3a comes with
 * the image (HADOOP_OPTIONAL_TOOLS).
 */
export function jarSetsFor(release: ReleaseConfig, pod: JarPod): JarSet[] {
  const s3a = sparkS3aSet(release.line.line);
  switch (pod) {
    case "benchmark":
      return release.mode === "standalone" && s3a ? [s3a] : [];
    case "metastore":
    case "schema-init":
      return [JAR_SETS["hive-postgres-driver"]];
    default:
      return s3a ? [s3a] : [];
  }
}

/** The pods a release runs in its mode (benchmark only when enabled, Hive pods with a metastore). */
export function releaseJarPods(config: PlatformConfig, release: ReleaseConfig): JarPod[] {
  const pods: JarPod[] =
    release.mode === "standalone" ? ["master", "worker"] : ["connect", "executor"];
  if (release.history.enabled) pods.push("history");
  if (config.benchmark.enabled) pods.push("benchmark");
  if (release.metastore.enabled) pods.push("metastore", "schema-init");
  return pods;
}

/**
 * Components whose pods download jars (they get the egress rule to the repository):
 * none with `source: image`.
 */
export function downloadingPods(config: PlatformConfig, release: ReleaseConfig): JarPod[] {
  if (config.jars.source !== "download") return [];
  return releaseJarPods(config, release).filter((pod) => jarSetsFor(release, pod).length > 0);
}

/** What the jars add to a pod: init containers and volumes, mounts and env of its main container. */
export interface PodJars {
  readonly sets: readonly JarSet[];
  readonly initContainers: IContainer[];
  readonly volumes: IVolume[];
  readonly mounts: IVolumeMount[];
  readonly env: IEnvVar[];
}

const NONE: PodJars = { sets: [], initContainers: [], volumes: [], mounts: [], env: [] };

const artifactsOf = (sets: readonly JarSet[]): JarArtifact[] => sets.flatMap((s) => s.artifacts);

/** emptyDir size for a set of jars: their bytes plus 10% and 8 MiB of slack. */
export function jarsVolumeSize(artifacts: readonly JarArtifact[]): string {
  return `${Math.ceil((totalBytes(artifacts) * 1.1) / 2 ** 20) + 8}Mi`;
}

function jarsVolume(artifacts: readonly JarArtifact[]): IVolume {
  return { name: JARS_VOLUME, emptyDir: { sizeLimit: jarsVolumeSize(artifacts) } };
}

/** Small and short-lived: the pod's scheduling request stays its main container's. */
const initResources = () => resources("50m", 128, "1");

function initContainer(
  name: string,
  image: string,
  command: string[],
  mounts: IVolumeMount[],
): IContainer {
  return {
    name,
    image,
    command,
    securityContext: containerSecurityContext(),
    resources: initResources(),
    // The one line the program prints becomes the status message `kubectl describe` shows.
    terminationMessagePolicy: "FallbackToLogsOnError",
    ...(mounts.length ? { volumeMounts: mounts } : {}),
  };
}

const sparkImageFix = (release: ReleaseConfig) =>
  `build images/spark-${release.line.line} (docs/jars.md) and set releases[${release.index}].image and historyServer.image to it, or set spark-platform:jars.source: download`;
const hiveImageFix = (release: ReleaseConfig) =>
  `build images/hive-${release.metastore.hiveVersion} (docs/jars.md) and set releases[${release.index}].hiveMetastore.image to it, or set spark-platform:jars.source: download`;
const downloadFix = (release: ReleaseConfig, set: "spark" | "hive") =>
  `point spark-platform:jars.repository at a Maven mirror these pods can reach (docs/jars.md, "Mirror"), or build images/${set === "spark" ? `spark-${release.line.line}` : `hive-${release.metastore.hiveVersion}`} and set spark-platform:jars.source: image`;

/**
 * Jars of a Spark pod (`image` is the pod's own image). `download`: an init container of
 * that image fetches the set into an emptyDir mounted read-only at SPARK_JARS_DIR, and
 * SPARK_DIST_CLASSPATH names it. Spark appends SPARK_DIST_CLASSPATH after its own jars for
 * every JVM it launches (spark-class daemons, spark-submit drivers, the executors a
 * standalone worker starts, and Kubernetes executors through the image's entrypoint), so
 * one variable serves every pod and no jar can shadow a Spark class. `image`: the jars are
 * in /opt/spark/jars already; an init container of the same image checks they are.
 */
export function sparkPodJars(
  config: PlatformConfig,
  release: ReleaseConfig,
  pod: Exclude<JarPod, "metastore" | "schema-init">,
  image: string,
): PodJars {
  const sets = jarSetsFor(release, pod);
  if (sets.length === 0) return NONE;
  const artifacts = artifactsOf(sets);
  if (config.jars.source === "image") {
    const check = checkScript(
      image,
      requirementsIn(IMAGE_SPARK_JARS_DIR, artifacts),
      sparkImageFix(release),
    );
    return {
      ...NONE,
      sets,
      initContainers: [initContainer(CHECK_CONTAINER, image, ["/bin/bash", "-c", check], [])],
    };
  }
  const writable = { name: JARS_VOLUME, mountPath: SPARK_JARS_DIR };
  return {
    sets,
    initContainers: [
      initContainer(
        FETCH_CONTAINER,
        image,
        downloaderCommand(
          config.jars.repository,
          SPARK_JARS_DIR,
          artifacts,
          downloadFix(release, "spark"),
        ),
        [writable],
      ),
    ],
    volumes: [jarsVolume(artifacts)],
    mounts: [{ ...writable, readOnly: true }],
    env: [{ name: "SPARK_DIST_CLASSPATH", value: `${SPARK_JARS_DIR}/*` }],
  };
}

/**
 * Where a Hive pod's PostgreSQL driver sits. bin/hive puts /opt/hive/lib/*.jar on the
 * classpath BEFORE anything in HADOOP_CLASSPATH (and sets HADOOP_USER_CLASSPATH_FIRST
 * itself), so adding the driver through HADOOP_CLASSPATH would leave 3.1.3's 9.4 driver
 * first. The downloaded driver is therefore mounted (subPath) over the image's own driver
 * file when the image has one, and as its catalog name in /opt/hive/lib otherwise.
 */
export function hiveDriverPath(release: ReleaseConfig, driver: JarArtifact): string {
  const shipped = IMAGE_POSTGRES_DRIVER[release.metastore.hiveVersion];
  return `${HIVE_LIB_DIR}/${shipped ?? jarFileName(driver)}`;
}

/**
 * Jars of a Hive pod (metastore or schema-init). The metastore also gets
 * HADOOP_OPTIONAL_TOOLS=hadoop-aws (s3a warehouse directories) from the image's own
 * tools/lib, which the check requires. `download`: the release's Spark image (python3)
 * fetches the driver; a check in the Hive image, with the same mount as the main
 * container, then refuses a second PostgreSQL driver in /opt/hive/lib. `image`: the check
 * alone (images/hive-* put 42.7.x in /opt/hive/lib and remove the old one).
 */
export function hivePodJars(
  config: PlatformConfig,
  release: ReleaseConfig,
  pod: "metastore" | "schema-init",
): PodJars {
  const sets = jarSetsFor(release, pod);
  const driver = JAR_SETS["hive-postgres-driver"].artifacts[0]!;
  const image = release.metastore.image;
  const env: IEnvVar[] =
    pod === "metastore" ? [{ name: "HADOOP_OPTIONAL_TOOLS", value: "hadoop-aws" }] : [];
  const s3aRequirement: JarRequirement[] =
    pod === "metastore"
      ? [{ path: `${HADOOP_TOOLS_LIB_DIR}/hadoop-aws-*.jar`, jar: "hadoop-aws-*.jar" }]
      : [];
  const rivals = `${HIVE_LIB_DIR}/postgresql-*.jar`;

  if (config.jars.source === "image") {
    const requirements = [
      { path: `${HIVE_LIB_DIR}/${jarFileName(driver)}`, jar: jarFileName(driver), rivals },
      ...s3aRequirement,
    ];
    const check = checkScript(image, requirements, hiveImageFix(release));
    return {
      sets,
      initContainers: [initContainer(CHECK_CONTAINER, image, ["/bin/bash", "-c", check], [])],
      volumes: [],
      mounts: [],
      env,
    };
  }
  const target = hiveDriverPath(release, driver);
  const driverMount: IVolumeMount = {
    name: JARS_VOLUME,
    mountPath: target,
    subPath: jarFileName(driver),
    readOnly: true,
  };
  const requirements = [{ path: target, jar: jarFileName(driver), rivals }, ...s3aRequirement];
  const fetch = initContainer(
    FETCH_CONTAINER,
    release.image,
    downloaderCommand(
      config.jars.repository,
      SPARK_JARS_DIR,
      [driver],
      downloadFix(release, "hive"),
    ),
    [{ name: JARS_VOLUME, mountPath: SPARK_JARS_DIR }],
  );
  const check = initContainer(
    CHECK_CONTAINER,
    image,
    ["/bin/bash", "-c", checkScript(image, requirements, hiveImageFix(release))],
    [driverMount],
  );
  return {
    sets,
    initContainers: [fetch, check],
    volumes: [jarsVolume([driver])],
    mounts: [driverMount],
    env,
  };
}
