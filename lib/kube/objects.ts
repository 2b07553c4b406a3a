import { createHash } from "node:crypto";
import type { IIoK8sApiCoreV1Container as IContainer } from "kubernetes-models/v1/Container";
import type { IIoK8sApiCoreV1EnvVar as IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IIoK8sApiCoreV1PodSecurityContext as IPodSecurityContext } from "kubernetes-models/v1/PodSecurityContext";
import type { IIoK8sApiCoreV1Probe as IProbe } from "kubernetes-models/v1/Probe";
import type { IIoK8sApiCoreV1ResourceRequirements as IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import type { IIoK8sApiCoreV1SecurityContext as ISecurityContext } from "kubernetes-models/v1/SecurityContext";
import type { IIoK8sApiCoreV1Volume as IVolume } from "kubernetes-models/v1/Volume";
import type { IIoK8sApiCoreV1VolumeMount as IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import type { IIoK8sApimachineryPkgApisMetaV1ObjectMeta as IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import type { ReleaseConfig } from "../config/model";
import {
  OBJECT_STORE_ENV,
  OBJECT_STORE_PROFILE_FILE,
  OBJECT_STORE_PROFILE_PATH,
} from "../spark/s3a";
import type { HadoopLine } from "../spark/versions";
import { TMP_MIB } from "./storage";

/** Label every object of a release carries; selectors and NetworkPolicies key on it. */
export const RELEASE_LABEL = "spark-platform.io/release";
/** Label a client pod (Airflow worker, notebook) sets to be let in by a release's policies. */
export const CLIENT_LABEL = "spark-platform.io/client-of";
/** Annotation naming the source function of an object: `grep` it to find an object's origin. */
export const SOURCE_ANNOTATION = "spark-platform.io/source";
/**
 * The label of a notebook's objects (components/notebook), with its name: a granted client
 * the platform runs, never part of a release (it carries no release label).
 */
export const NOTEBOOK_LABEL = "spark-platform.io/notebook";
/** Annotation carrying a hash of mounted configuration, so pods roll when it changes. */
export const CONFIG_HASH_ANNOTATION = "spark-platform.io/config-sha256";

export type Component =
  | "master"
  | "worker"
  | "connect"
  | "executor"
  | "metastore"
  | "schema-init"
  | "history"
  | "benchmark"
  | "spark";

const APP_NAMES: Record<Component, string> = {
  master: "spark",
  worker: "spark",
  connect: "spark",
  executor: "spark",
  spark: "spark",
  benchmark: "spark",
  history: "spark-history-server",
  metastore: "hive-metastore",
  "schema-init": "hive-metastore",
};

/**
 * The plain `app` label of the guide's charts, which users' scripts and dashboards select on
 * (`kubectl get deploy -l app=hive-metastore`, `kubectl logs -l app=spark-history-server`).
 * Kept beside the recommended labels; our own selectors never use it alone.
 */
const GUIDE_APP_LABELS: Record<Component, string> = {
  master: "spark-master",
  worker: "spark-worker",
  connect: "spark-connect",
  executor: "spark-executor",
  spark: "spark",
  benchmark: "spark-benchmark",
  history: "spark-history-server",
  metastore: "hive-metastore",
  "schema-init": "hive-schema-init",
};

/** Labels of an object of a release (recommended app.kubernetes.io labels plus the release label). */
export function releaseLabels(
  release: ReleaseConfig,
  component: Component,
  version: string = release.sparkVersion,
): Record<string, string> {
  return {
    app: GUIDE_APP_LABELS[component],
    "app.kubernetes.io/name": APP_NAMES[component],
    "app.kubernetes.io/instance": release.name,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/version": version,
    "app.kubernetes.io/part-of": "spark-platform",
    "app.kubernetes.io/managed-by": "pulumi",
    [RELEASE_LABEL]: release.name,
  };
}

/** Pod selector of one component of one release: never by app name alone. */
export function componentSelector(
  release: ReleaseConfig,
  component: Component,
): Record<string, string> {
  return { [RELEASE_LABEL]: release.name, "app.kubernetes.io/component": component };
}

/** Metadata of a namespaced object of a release. */
export function releaseMetadata(
  release: ReleaseConfig,
  component: Component,
  name: string,
  source: string,
  version?: string,
): IObjectMeta & { name: string; namespace: string } {
  return {
    name,
    namespace: release.namespace,
    labels: releaseLabels(release, component, version),
    annotations: { [SOURCE_ANNOTATION]: source },
  };
}

/** Pod Security "restricted" at pod level, for a fixed image uid. */
export function podSecurityContext(uid: number): IPodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Pod Security "restricted" at container level, with a read-only root filesystem. */
export function containerSecurityContext(): ISecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

export function tcpProbe(port: number, initialDelaySeconds: number, periodSeconds = 10): IProbe {
  return {
    tcpSocket: { port },
    initialDelaySeconds,
    periodSeconds,
    timeoutSeconds: 5,
    failureThreshold: 6,
  };
}

export function httpProbe(
  port: number,
  path: string,
  initialDelaySeconds: number,
  periodSeconds = 10,
): IProbe {
  return {
    httpGet: { port, path },
    initialDelaySeconds,
    periodSeconds,
    timeoutSeconds: 5,
    failureThreshold: 6,
  };
}

/**
 * Requests and limits. Memory request equals the limit (a JVM sized by -Xmx must not be
 * OOM-killed by an overcommitted node); CPU has a request and an optional limit.
 */
export function resources(
  cpuRequest: string,
  memoryMiB: number,
  cpuLimit?: string,
): IResourceRequirements {
  return {
    requests: { cpu: cpuRequest, memory: `${memoryMiB}Mi` },
    limits: { ...(cpuLimit ? { cpu: cpuLimit } : {}), memory: `${memoryMiB}Mi` },
  };
}

export function secretEnv(env: string, secretName: string, key: string): IEnvVar {
  return { name: env, valueFrom: { secretKeyRef: { name: secretName, key } } };
}

export function fieldEnv(env: string, fieldPath: string): IEnvVar {
  return { name: env, valueFrom: { fieldRef: { fieldPath } } };
}

/**
 * How a container gets the object-store keys: the Secret's shared-credentials file,
 * mounted read-only, and the variable that names it for `hadoop`'s SDK (a path, no
 * credential). s3a's profile provider reads it (lib/spark/s3a.ts). Processes the
 * container starts (a standalone worker's executors) inherit the variable and see the
 * same mount.
 */
export function objectStoreCredentials(
  secretName: string,
  hadoop: HadoopLine,
): { env: IEnvVar[]; volume: IVolume; mount: IVolumeMount } {
  const file = secretKeysVolume(
    "object-store-credentials",
    secretName,
    [OBJECT_STORE_PROFILE_FILE.profileKey],
    OBJECT_STORE_PROFILE_FILE.dir,
  );
  return { env: [{ name: hadoop.profileFileEnv, value: OBJECT_STORE_PROFILE_PATH }], ...file };
}

/** A Secret manifest whose values may be Pulumi outputs (secret config, derived passwords). */
export interface SecretManifest<V> {
  apiVersion: "v1";
  kind: "Secret";
  metadata: IObjectMeta & { name: string; namespace: string };
  type: "Opaque";
  stringData: Record<string, V>;
}

export function secretManifest<V>(
  release: ReleaseConfig,
  component: Component,
  name: string,
  source: string,
  data: Record<string, V>,
): SecretManifest<V> {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: releaseMetadata(release, component, name, source),
    type: "Opaque",
    stringData: data,
  };
}

/**
 * The same Secret in each namespace the release grants clients (`releases[].clients`),
 * labelled with the release and the client label: it reads as the release's object placed
 * for its clients, and nothing else of the release lives in a client namespace. None when
 * the release grants no client.
 */
export function clientSecretManifests<V>(
  release: ReleaseConfig,
  component: Component,
  name: string,
  source: string,
  data: Record<string, V>,
): SecretManifest<V>[] {
  const namespaces = [...new Set(release.clients.map((grant) => grant.namespace))];
  return namespaces.map((namespace) => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name,
      namespace,
      labels: { ...releaseLabels(release, component), [CLIENT_LABEL]: release.name },
      annotations: { [SOURCE_ANNOTATION]: source },
    },
    type: "Opaque",
    stringData: data,
  }));
}

/**
 * Object-store credentials for one component of a release: the keys, and the same keys as
 * a shared-credentials file (awsCredentialsFile), which is what the platform's pods mount.
 */
export function objectStoreSecret<V>(
  release: ReleaseConfig,
  component: Component,
  name: string,
  source: string,
  credentials: { accessKey: V; secretKey: V; profileFile: V },
): SecretManifest<V> {
  return secretManifest(release, component, name, source, {
    [OBJECT_STORE_ENV.accessKey.secretKey]: credentials.accessKey,
    [OBJECT_STORE_ENV.secretKey.secretKey]: credentials.secretKey,
    [OBJECT_STORE_PROFILE_FILE.profileKey]: credentials.profileFile,
  });
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Owner-and-group read only, for files mounted from Secrets: the pods' fsGroup (the Spark uid's group) owns them. */
export const SECRET_FILE_MODE = 0o440;

/**
 * A volume of only `keys` of a Secret (each file named as its key, SECRET_FILE_MODE), and
 * its read-only mount at `mountPath`: a pod gets the files it reads and no other key.
 */
export function secretKeysVolume(
  name: string,
  secretName: string,
  keys: readonly string[],
  mountPath: string,
): { volume: IVolume; mount: IVolumeMount } {
  return {
    volume: {
      name,
      secret: {
        secretName,
        items: keys.map((key) => ({ key, path: key })),
        defaultMode: SECRET_FILE_MODE,
      },
    },
    mount: { name, mountPath, readOnly: true },
  };
}

/** `key value` lines, sorted, as spark-defaults.conf reads them. */
export function renderSparkProperties(properties: Readonly<Record<string, string>>): string {
  return (
    Object.keys(properties)
      .sort()
      .map((key) => `${key} ${properties[key]}`)
      .join("\n") + "\n"
  );
}

/** spark-defaults.conf as java.util.Properties reads it: `key value`, `key=value` or `key: value`. */
export function parseSparkProperties(text: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    const match = /^([^\s=:]+)\s*[=:]?\s*(.*)$/.exec(line);
    if (match) properties[match[1]!] = match[2]!.trim();
  }
  return properties;
}

/** Writable scratch space for a read-only root filesystem. */
export const TMP_VOLUME = { name: "tmp", emptyDir: { sizeLimit: `${TMP_MIB}Mi` } };
export const TMP_MOUNT = { name: "tmp", mountPath: "/tmp" };

export type Container = IContainer;

/** Any Kubernetes object the platform renders. */
export interface KubeManifest {
  apiVersion: string;
  kind: string;
  metadata?: IObjectMeta;
}

/**
 * Whether a Pulumi type token is a Kubernetes object (`kubernetes:apps/v1:Deployment`);
 * the Kubernetes provider itself is `pulumi:providers:kubernetes`.
 */
export function isKubernetesObjectType(type: string): boolean {
  return type.startsWith("kubernetes:");
}

/** `Kind/namespace/name` of a manifest, for messages and indexes. */
export function manifestId(manifest: KubeManifest): string {
  const ns = manifest.metadata?.namespace;
  return `${manifest.kind}/${ns ? `${ns}/` : ""}${manifest.metadata?.name ?? "<unnamed>"}`;
}
