import { ValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import { ValidatingAdmissionPolicyBinding } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Job } from "kubernetes-models/batch/v1/Job";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Pod } from "kubernetes-models/v1/Pod";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { manifestId, type KubeManifest } from "../objects";
import { PodMonitorModel } from "../podMonitor";

// Each model validates its object against the Kubernetes OpenAPI schema of that kind.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy": ValidatingAdmissionPolicy,
  "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding":
    ValidatingAdmissionPolicyBinding,
  "apps/v1/Deployment": Deployment,
  "batch/v1/Job": Job,
  // A Prometheus Operator CRD: the fields the platform sets, checked by hand (podMonitor.ts).
  "monitoring.coreos.com/v1/PodMonitor": PodMonitorModel,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "rbac.authorization.k8s.io/v1/Role": Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding,
  "v1/ConfigMap": ConfigMap,
  "v1/Namespace": Namespace,
  "v1/PersistentVolumeClaim": PersistentVolumeClaim,
  "v1/Pod": Pod,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "v1/ServiceAccount": ServiceAccount,
};

/** Schema problems of manifests, one line each naming the object (empty when all are valid). */
export function schemaProblems(manifests: readonly KubeManifest[]): string[] {
  return manifests.flatMap((manifest) => {
    const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
    if (!Model)
      return [
        `${manifestId(manifest)}: no schema known for ${manifest.apiVersion} ${manifest.kind}`,
      ];
    try {
      new Model(manifest).validate();
      return [];
    } catch (error) {
      return [`${manifestId(manifest)}: ${(error as Error).message.split("\n").join("; ")}`];
    }
  });
}
