import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import type { IValidatingAdmissionPolicyBinding } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding";
import {
  CONFINED_OPERATIONS,
  ownReleaseRule,
  serviceAccountUser,
  userCondition,
} from "../../lib/kube/analysis/admission";
import type { ReleaseConfig } from "../../lib/config/model";
import { RELEASE_LABEL, releaseMetadata } from "../../lib/kube/objects";

const SOURCE = "components/spark-release/admissionPolicy.ts";

/**
 * Name of the release's policy and of its binding. Both are cluster-scoped, so two stacks
 * on one cluster must not collide: the namespace makes the name unique exactly where the
 * confined account is unique (`system:serviceaccount:<namespace>:<account>`), and the
 * release prefix keeps the platform's naming rule. A DNS subdomain: at most 40 + 12 + 1
 * + 63 characters.
 */
export function ownObjectsPolicyName(release: ReleaseConfig): string {
  return `${release.name}-own-objects.${release.namespace}`;
}

/** Metadata of a cluster-scoped object of the release (no namespace); `source` is `file#function`. */
export function clusterScopedMetadata(release: ReleaseConfig, name: string, source: string) {
  const { namespace: _namespace, ...metadata } = releaseMetadata(release, "spark", name, source);
  return metadata;
}

/**
 * Confines the release's ServiceAccount to its own release's objects. RBAC cannot scope a
 * Role by label, so in a namespace shared with another release the Connect server's Role
 * (pods, services, configmaps, PVCs) would let it delete or rewrite the other release's
 * objects. For requests of that account only, every namespaced create, update (patch,
 * apply) and delete, of any resource and subresource in any namespace, is denied unless
 * the object it creates or leaves behind and the object it touches carry
 * `spark-platform.io/release=<release>`. What Spark creates for executors carries it:
 * executor pods get it from the pod template and `spark.kubernetes.executor.label.*`;
 * the executor ConfigMap, whose labels Spark fixes, is turned off in spark-defaults.
 * Cluster-scoped requests (access reviews of `kubectl auth can-i`) are not matched.
 */
export function ownObjectsPolicy(release: ReleaseConfig): IValidatingAdmissionPolicy {
  const account = `${release.namespace}/${release.names.serviceAccount}`;
  const allowed = `${RELEASE_LABEL}=${release.name}`;
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: clusterScopedMetadata(
      release,
      ownObjectsPolicyName(release),
      `${SOURCE}#ownObjectsPolicy`,
    ),
    spec: {
      failurePolicy: "Fail",
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: ["*"],
            apiVersions: ["*"],
            resources: ["*/*"],
            operations: [...CONFINED_OPERATIONS],
            scope: "Namespaced",
          },
        ],
      },
      matchConditions: [
        {
          name: "release-service-account",
          expression: userCondition(
            serviceAccountUser(release.namespace, release.names.serviceAccount),
          ),
        },
      ],
      validations: [
        {
          expression: ownReleaseRule(release.name),
          message: `ServiceAccount ${account} (release ${release.name}) may create, change and delete only objects labelled ${allowed}`,
          // request.name is absent for the items of a deletecollection: name the object.
          messageExpression:
            `'ServiceAccount ${account} (release ${release.name}) may create, change and delete only objects labelled ${allowed}; denied ' + request.operation + ' of ' + request.resource.resource + ' ' + ` +
            `(request.operation == 'CREATE' ? (has(object.metadata.name) ? object.metadata.name : '(generated name)') : oldObject.metadata.name)`,
          reason: "Forbidden",
        },
      ],
    },
  };
}

/** Binds the policy everywhere with Deny: its match condition already names one account. */
export function ownObjectsPolicyBinding(release: ReleaseConfig): IValidatingAdmissionPolicyBinding {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: clusterScopedMetadata(
      release,
      ownObjectsPolicyName(release),
      `${SOURCE}#ownObjectsPolicyBinding`,
    ),
    spec: {
      policyName: ownObjectsPolicyName(release),
      validationActions: ["Deny"],
    },
  };
}
