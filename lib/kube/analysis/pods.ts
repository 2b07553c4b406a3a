import { parse as parseYaml } from "yaml";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { KubeManifest } from "../objects";

/** A pod the rendered objects would create: its namespace, labels and spec. */
export interface PodModel {
  /** Where the pod comes from, e.g. `Deployment/spark/spark-35-master`. */
  readonly origin: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: IPodSpec;
}

interface Workload extends KubeManifest {
  spec?: { template?: { metadata?: { labels?: Record<string, string> }; spec?: IPodSpec } };
}

/**
 * Every pod template in a set of manifests: Deployments, StatefulSets, DaemonSets and
 * Jobs, plus Spark executor pod templates shipped in ConfigMaps (executors are created
 * by the Connect server at run time, so their template is where their rules live).
 */
export function podModels(manifests: readonly KubeManifest[]): PodModel[] {
  const pods: PodModel[] = [];
  for (const manifest of manifests) {
    const namespace = manifest.metadata?.namespace ?? "default";
    const origin = `${manifest.kind}/${namespace}/${manifest.metadata?.name ?? ""}`;
    if (["Deployment", "StatefulSet", "DaemonSet", "Job"].includes(manifest.kind)) {
      const template = (manifest as Workload).spec?.template;
      if (template?.spec) {
        pods.push({
          origin,
          namespace,
          labels: template.metadata?.labels ?? {},
          spec: template.spec,
        });
      }
    }
    if (manifest.kind === "ConfigMap") {
      const data = (manifest as { data?: Record<string, string> }).data ?? {};
      for (const [key, text] of Object.entries(data)) {
        if (!key.endsWith(".yaml")) continue;
        const doc = parseYaml(text) as
          | { kind?: string; metadata?: { labels?: Record<string, string> }; spec?: IPodSpec }
          | undefined;
        if (doc?.kind === "Pod" && doc.spec) {
          pods.push({
            origin: `${origin}#${key}`,
            namespace,
            labels: doc.metadata?.labels ?? {},
            spec: doc.spec,
          });
        }
      }
    }
  }
  return pods;
}
