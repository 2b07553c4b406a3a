import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { podModels, type PodModel } from "../kube/analysis/pods";
import {
  CLIENT_LABEL,
  NOTEBOOK_LABEL,
  RELEASE_LABEL,
  manifestId,
  type KubeManifest,
} from "../kube/objects";
import { parseConfigFile } from "./conf";

/**
 * The objects a verification looks at, from rendered manifests or from a live cluster,
 * with the indexes every check needs. Release membership is the release label only:
 * names and namespaces are what is being verified, so they prove nothing.
 */
export interface ClusterObjects {
  readonly manifests: readonly KubeManifest[];
  /**
   * Pod templates (workloads, executor templates in ConfigMaps) plus live Pods of the
   * releases; notebooks' pods apart (`notebookPods`): they are clients, checked as such.
   */
  readonly pods: readonly PodModel[];
  /** Pods and templates labelled as a notebook's (lib/verify/notebooks.ts checks them). */
  readonly notebookPods: readonly PodModel[];
}

/** Whether an object is a notebook's (components/notebook): a client, not a release's. */
export function isNotebookObject(labels: Readonly<Record<string, string>> | undefined): boolean {
  return labels?.[NOTEBOOK_LABEL] !== undefined && labels?.[RELEASE_LABEL] === undefined;
}

interface LivePod extends KubeManifest {
  spec?: IPodSpec;
}

export function clusterObjects(manifests: readonly KubeManifest[]): ClusterObjects {
  const livePods: PodModel[] = manifests
    .filter((m): m is LivePod => m.kind === "Pod" && Boolean((m as LivePod).spec))
    .map((m) => ({
      origin: manifestId(m),
      namespace: m.metadata?.namespace ?? "default",
      labels: m.metadata?.labels ?? {},
      spec: m.spec!,
    }));
  const pods = [...podModels(manifests), ...livePods];
  return {
    manifests,
    pods: pods.filter((pod) => !isNotebookObject(pod.labels)),
    notebookPods: pods.filter((pod) => isNotebookObject(pod.labels)),
  };
}

export function releaseOf(
  labels: Readonly<Record<string, string>> | undefined,
): string | undefined {
  return labels?.[RELEASE_LABEL];
}

export function releaseOfManifest(manifest: KubeManifest): string | undefined {
  return releaseOf(manifest.metadata?.labels);
}

/**
 * An object a release places in its clients' namespaces (a standalone release's client
 * Secret): it carries the release label and the client label, and it does not make the
 * client namespace one of the release's own.
 */
export function placedForClients(manifest: KubeManifest): boolean {
  return manifest.metadata?.labels?.[CLIENT_LABEL] !== undefined;
}

export function namespaceOf(manifest: KubeManifest): string {
  return manifest.metadata?.namespace ?? "default";
}

export function ofKind<T extends KubeManifest = KubeManifest>(
  objects: ClusterObjects,
  ...kinds: string[]
): T[] {
  return objects.manifests.filter((m) => kinds.includes(m.kind)) as T[];
}

export function findObject<T extends KubeManifest = KubeManifest>(
  objects: ClusterObjects,
  kind: string,
  namespace: string,
  name: string,
): T | undefined {
  return objects.manifests.find(
    (m) => m.kind === kind && namespaceOf(m) === namespace && m.metadata?.name === name,
  ) as T | undefined;
}

export interface ConfigMapManifest extends KubeManifest {
  data?: Record<string, string>;
}

/** A ConfigMap's config files, parsed (`hive-site.xml`, `spark-defaults.conf`, ...). */
export function configFiles(configMap: ConfigMapManifest): Record<string, Record<string, string>> {
  const files: Record<string, Record<string, string>> = {};
  for (const [key, text] of Object.entries(configMap.data ?? {})) {
    if (key.endsWith(".xml") || key.endsWith(".conf") || key.endsWith(".properties")) {
      files[key] = parseConfigFile(key, text);
    }
  }
  return files;
}

/** One property across a ConfigMap's config files (first file that sets it). */
export function configProperty(configMap: ConfigMapManifest, key: string): string | undefined {
  for (const file of Object.values(configFiles(configMap))) {
    if (file[key] !== undefined) return file[key];
  }
  return undefined;
}

/** ConfigMaps a pod mounts (volumes and projected sources), found or not. */
export function mountedConfigMaps(
  objects: ClusterObjects,
  pod: PodModel,
): { name: string; configMap?: ConfigMapManifest }[] {
  const names = new Set<string>();
  for (const volume of pod.spec.volumes ?? []) {
    if (volume.configMap?.name) names.add(volume.configMap.name);
    for (const source of volume.projected?.sources ?? []) {
      if (source.configMap?.name) names.add(source.configMap.name);
    }
  }
  return [...names].map((name) => {
    const configMap = findObject<ConfigMapManifest>(objects, "ConfigMap", pod.namespace, name);
    return configMap ? { name, configMap } : { name };
  });
}

export function containersOf(pod: PodModel) {
  return [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])];
}

/** Every literal string a pod's containers are started with: env values, args, command. */
export function startupStrings(pod: PodModel): string[] {
  return containersOf(pod).flatMap((c) => [
    ...(c.env ?? []).map((e) => e.value ?? ""),
    ...(c.args ?? []),
    ...(c.command ?? []),
  ]);
}

/** Secret names a pod references: env secretKeyRef, envFrom, secret volumes, projected secrets. */
export function referencedSecrets(pod: PodModel): string[] {
  const names = new Set<string>();
  for (const c of containersOf(pod)) {
    for (const e of c.env ?? []) {
      if (e.valueFrom?.secretKeyRef?.name) names.add(e.valueFrom.secretKeyRef.name);
    }
    for (const from of c.envFrom ?? []) if (from.secretRef?.name) names.add(from.secretRef.name);
  }
  for (const volume of pod.spec.volumes ?? []) {
    if (volume.secret?.secretName) names.add(volume.secret.secretName);
    for (const source of volume.projected?.sources ?? []) {
      if (source.secret?.name) names.add(source.secret.name);
    }
  }
  for (const pull of pod.spec.imagePullSecrets ?? []) if (pull.name) names.add(pull.name);
  return [...names];
}

export const componentOf = (pod: PodModel): string | undefined =>
  pod.labels["app.kubernetes.io/component"];

/** A metastore or its schema-init Job: by component, or because it mounts a hive-site.xml. */
export const isMetastorePod = (objects: ClusterObjects, pod: PodModel) =>
  ["metastore", "schema-init"].includes(componentOf(pod) ?? "") ||
  mountedConfigMaps(objects, pod).some((m) => m.configMap?.data?.["hive-site.xml"] !== undefined);

/** Names of the releases present in the objects (by label), sorted. */
export function releasesIn(objects: ClusterObjects): string[] {
  const names = new Set<string>();
  for (const m of objects.manifests) {
    const release = releaseOfManifest(m);
    if (release) names.add(release);
  }
  for (const pod of objects.pods) {
    const release = releaseOf(pod.labels);
    if (release) names.add(release);
  }
  return [...names].sort();
}

/**
 * Spark properties of a release as its Spark pods read them: the spark-defaults.conf of
 * the ConfigMaps its pods mount (not the history server's: that one only reads logs).
 */
export function releaseSparkConf(objects: ClusterObjects, release: string): Record<string, string> {
  const conf: Record<string, string> = {};
  for (const configMap of ofKind<ConfigMapManifest>(objects, "ConfigMap")) {
    if (releaseOfManifest(configMap) !== release) continue;
    const file = configFiles(configMap)["spark-defaults.conf"];
    if (file && file["spark.history.fs.logDirectory"] === undefined) Object.assign(conf, file);
  }
  return conf;
}

/** `standalone` or `connect`, from what the release's Spark pods are configured with. */
export function releaseMode(
  objects: ClusterObjects,
  release: string,
): "standalone" | "connect" | undefined {
  const master = releaseSparkConf(objects, release)["spark.master"];
  if (master?.startsWith("spark://")) return "standalone";
  if (master?.startsWith("k8s://")) return "connect";
  const components = objects.pods.filter((p) => releaseOf(p.labels) === release).map(componentOf);
  if (components.includes("master") || components.includes("worker")) return "standalone";
  if (components.includes("connect")) return "connect";
  return undefined;
}
