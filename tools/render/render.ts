import type { RegisteredResource } from "./evaluate";
import { isKubernetesObjectType, type KubeManifest } from "../../lib/kube/objects";
import { manifestYaml } from "./yaml";

/** Apply order: what others depend on first, so the file also reads top-down. */
const KIND_ORDER = [
  "Namespace",
  "ServiceAccount",
  "Role",
  "RoleBinding",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "Secret",
  "ConfigMap",
  "Service",
  "Deployment",
  "Job",
  "PodDisruptionBudget",
  "NetworkPolicy",
];

const isKubernetesObject = (r: RegisteredResource) => r.custom && isKubernetesObjectType(r.type);

/** Every Kubernetes object the program registers, in a stable order. */
export function kubernetesManifests(resources: readonly RegisteredResource[]): KubeManifest[] {
  const manifests = resources
    .filter(isKubernetesObject)
    .map((r) => r.inputs as unknown as KubeManifest);
  const rank = (m: KubeManifest) => {
    const index = KIND_ORDER.indexOf(m.kind);
    return index === -1 ? KIND_ORDER.length : index;
  };
  return manifests.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.metadata?.namespace ?? "").localeCompare(b.metadata?.namespace ?? "") ||
      (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""),
  );
}

/** Multi-document YAML of the manifests. */
export function manifestsYaml(manifests: readonly KubeManifest[]): string {
  return manifests.map((m) => `---\n${manifestYaml(m)}`).join("");
}

/** Everything that is not a Kubernetes object: providers, databases, roles, bucket objects, components. */
export function otherResources(resources: readonly RegisteredResource[]): {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  protect: boolean;
  retainOnDelete: boolean;
}[] {
  return resources
    .filter((r) => !isKubernetesObject(r) && r.type !== "pulumi:pulumi:Stack")
    .map((r) => ({
      type: r.type,
      name: r.name,
      inputs: r.inputs,
      protect: r.protect,
      retainOnDelete: r.retainOnDelete,
    }))
    .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}
