import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { manifestId, type KubeManifest } from "./objects";

/** The Pulumi resource class `registerManifest` creates, by `apiVersion/kind`. */
interface ResourceByType {
  "v1/Namespace": k8s.core.v1.Namespace;
  "v1/ServiceAccount": k8s.core.v1.ServiceAccount;
  "v1/ConfigMap": k8s.core.v1.ConfigMap;
  "v1/Secret": k8s.core.v1.Secret;
  "v1/Service": k8s.core.v1.Service;
  "v1/PersistentVolumeClaim": k8s.core.v1.PersistentVolumeClaim;
  "apps/v1/Deployment": k8s.apps.v1.Deployment;
  "batch/v1/Job": k8s.batch.v1.Job;
  "rbac.authorization.k8s.io/v1/Role": k8s.rbac.v1.Role;
  "rbac.authorization.k8s.io/v1/RoleBinding": k8s.rbac.v1.RoleBinding;
  "networking.k8s.io/v1/NetworkPolicy": k8s.networking.v1.NetworkPolicy;
  "policy/v1/PodDisruptionBudget": k8s.policy.v1.PodDisruptionBudget;
  "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy": k8s.admissionregistration.v1.ValidatingAdmissionPolicy;
  "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding": k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
  "monitoring.coreos.com/v1/PodMonitor": k8s.apiextensions.CustomResource;
}

/**
 * The typed resource a manifest becomes: a kubernetes-models object (literal `apiVersion`
 * and `kind`) gives its class, e.g. `IDeployment` gives `k8s.apps.v1.Deployment`.
 */
export type ResourceOf<M extends KubeManifest> =
  `${M["apiVersion"]}/${M["kind"]}` extends keyof ResourceByType
    ? ResourceByType[`${M["apiVersion"]}/${M["kind"]}`]
    : pulumi.CustomResource;

/**
 * Registers a manifest built by a pure function as its typed Pulumi Kubernetes resource.
 * The Pulumi name is the object's own name, so `pulumi preview` lines read like
 * `kubectl get` output, and kinds make the URN unique; `resourceName` replaces it where one
 * component registers objects of one name in several namespaces.
 */
export function registerManifest<M extends KubeManifest>(
  manifest: M,
  opts: pulumi.CustomResourceOptions,
  resourceName?: string,
): ResourceOf<M> {
  return createResource(manifest, opts, resourceName) as ResourceOf<M>;
}

function createResource(
  manifest: KubeManifest,
  opts: pulumi.CustomResourceOptions,
  resourceName?: string,
): pulumi.CustomResource {
  const name = resourceName ?? manifest.metadata?.name;
  if (!name) throw new Error(`manifest without metadata.name: ${manifestId(manifest)}`);
  // The pure builders return plain kubernetes-models objects; Pulumi's args accept the same shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const args = manifest as any;
  // A switch, not a table of classes: @pulumi/kubernetes loads each class on first use.
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
    case "v1/PersistentVolumeClaim":
      return new k8s.core.v1.PersistentVolumeClaim(name, args, opts);
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
    // A Prometheus Operator CRD: @pulumi/kubernetes has no class of its own for it.
    case "monitoring.coreos.com/v1/PodMonitor":
      return new k8s.apiextensions.CustomResource(name, args, opts);
    default:
      throw new Error(`no Pulumi resource type registered for ${manifestId(manifest)}`);
  }
}

/**
 * Registers a namespaced manifest with its namespace taken from the Namespace resource's
 * output, so every object is created after (and deleted before) its namespace.
 */
export function registerInNamespace<M extends KubeManifest>(
  manifest: M,
  namespace: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
  resourceName?: string,
): ResourceOf<M> {
  const withNamespace = { ...manifest, metadata: { ...manifest.metadata, namespace } };
  return registerManifest(withNamespace as unknown as M, opts, resourceName);
}

/** Registers one child of a component; see `childRegistrar`. */
export type RegisterChild = <M extends KubeManifest>(
  manifest: M,
  dependsOn?: readonly pulumi.Resource[],
) => ResourceOf<M>;

/**
 * How a component registers the objects its pure builders return: each in the
 * component's namespace, as a child of the component (so it inherits its providers and
 * sits under it in the URN), created after `dependsOn`. `prepare` rewrites each manifest
 * first and must keep its kind (the components add their credentials digest there).
 */
export function childRegistrar(
  parent: pulumi.Resource,
  namespace: pulumi.Input<string>,
  prepare: (manifest: KubeManifest) => KubeManifest = (manifest) => manifest,
): RegisterChild {
  return <M extends KubeManifest>(manifest: M, dependsOn: readonly pulumi.Resource[] = []) =>
    registerInNamespace(prepare(manifest) as M, namespace, {
      parent,
      dependsOn: [...dependsOn],
    });
}
