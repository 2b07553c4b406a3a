import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { manifestId, type KubeManifest } from "./objects";

/**
 * Registers a manifest built by a pure function as its typed Pulumi Kubernetes resource.
 * The Pulumi name is the object's own name, so `pulumi preview` lines read like
 * `kubectl get` output, and kinds make the URN unique.
 */
export function registerManifest(
  manifest: KubeManifest,
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResource {
  const name = manifest.metadata?.name;
  if (!name) throw new Error(`manifest without metadata.name: ${manifestId(manifest)}`);
  // The pure builders return plain kubernetes-models objects; Pulumi's args accept the same shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const args = manifest as any;
  switch (`${manifest.apiVersion}/${manifest.kind}`) {
    case "v1/Namespace":
      return new k8s.core.v1.Namespace(name, args, opts);
    case "v1/ServiceAccount":
      return new k8s.core.v1.ServiceAccount(name, args, opts);
    case "v1/ConfigMap":
      return new k8s.core.v1.ConfigMap(name, args, opts);
    case "v1/Secret":
      return new k8s.core.v1.Secret(name, args, opts);
    case "v1/Service":
      return new k8s.core.v1.Service(name, args, opts);
    case "apps/v1/Deployment":
      return new k8s.apps.v1.Deployment(name, args, opts);
    case "batch/v1/Job":
      return new k8s.batch.v1.Job(name, args, opts);
    case "rbac.authorization.k8s.io/v1/Role":
      return new k8s.rbac.v1.Role(name, args, opts);
    case "rbac.authorization.k8s.io/v1/RoleBinding":
      return new k8s.rbac.v1.RoleBinding(name, args, opts);
    case "networking.k8s.io/v1/NetworkPolicy":
      return new k8s.networking.v1.NetworkPolicy(name, args, opts);
    case "policy/v1/PodDisruptionBudget":
      return new k8s.policy.v1.PodDisruptionBudget(name, args, opts);
    case "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy":
      return new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(name, args, opts);
    case "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding":
      return new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(name, args, opts);
    default:
      throw new Error(`no Pulumi resource type registered for ${manifestId(manifest)}`);
  }
}

/**
 * Registers a namespaced manifest with its namespace taken from the Namespace resource's
 * output, so every object is created after (and deleted before) its namespace.
 */
export function registerInNamespace(
  manifest: KubeManifest,
  namespace: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResource {
  const withNamespace = { ...manifest, metadata: { ...manifest.metadata, namespace } };
  return registerManifest(withNamespace as unknown as KubeManifest, opts);
}
