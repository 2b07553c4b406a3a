import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { KubeManifest } from "../kube/objects";
import { findObject, namespaceOf, type ClusterObjects } from "./objects";

/** RBAC objects as the checks read them: bindings, their subjects, and the roles they grant. */

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

/** A RoleBinding or ClusterRoleBinding. */
export type Binding = KubeManifest & {
  roleRef?: { kind: string; name: string };
  subjects?: Subject[];
};

/** A Role or ClusterRole. */
export type RoleManifest = KubeManifest & { rules?: IRole["rules"] };

/** The Role (in the binding's namespace) or ClusterRole a binding grants; undefined if missing. */
export function boundRole(objects: ClusterObjects, binding: Binding): RoleManifest | undefined {
  const ref = binding.roleRef;
  if (!ref) return undefined;
  if (ref.kind === "ClusterRole") {
    return objects.manifests.find((m) => m.kind === "ClusterRole" && m.metadata?.name === ref.name);
  }
  return findObject<RoleManifest>(objects, "Role", namespaceOf(binding), ref.name);
}
