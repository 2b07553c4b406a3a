import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import type { IValidatingAdmissionPolicyBinding } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding";
import type { IValidation } from "kubernetes-models/admissionregistration.k8s.io/v1/Validation";
import { configKey } from "../../lib/config/keys";
import type { ReleaseConfig } from "../../lib/config/model";
import { celString } from "../../lib/kube/analysis/admission";
import {
  CLIENT_POD_OPERATIONS,
  clientNamespaceRule,
  clientServiceAccountRule,
  POD_NAME,
  POD_SERVICE_ACCOUNT,
} from "../../lib/kube/analysis/clientAdmission";
import { CLIENT_LABEL } from "../../lib/kube/objects";
import { clusterScopedMetadata } from "./admissionPolicy";

const SOURCE = "components/spark-release/clientAdmissionPolicy.ts";

/**
 * Name of the release's client policy and of its binding: cluster-scoped like the
 * own-objects policy, so named after release and namespace (two stacks on one cluster,
 * local and local-prod, never collide).
 */
export function clientPolicyName(release: ReleaseConfig): string {
  return `${release.name}-clients.${release.namespace}`;
}

const list = (names: readonly string[]) => names.join(", ");

/**
 * A pod labelled `spark-platform.io/client-of: <release>` claims the release's client
 * access; this policy refuses the claim, on CREATE and on UPDATE (labels are mutable),
 * unless the pod runs in a namespace `releases[].clients` lists and, where the entry lists
 * ServiceAccounts, under one of them. Cluster-wide: client namespaces are other teams'.
 * Pods without the label never reach the validations (the object selector), so the
 * release's own pods and its executors, which never carry it, are untouched. Denials name
 * the release and the config key that grants access.
 */
export function clientAdmissionPolicy(release: ReleaseConfig): IValidatingAdmissionPolicy {
  const label = `${CLIENT_LABEL}=${release.name}`;
  const clientsKey = configKey(["releases", release.index, "clients"]);
  const namespaces = release.clients.map((grant) => grant.namespace);
  // Message text as CEL: literal pieces joined with the pod's name, namespace, account.
  const joined = (...parts: string[]) => parts.join(" + ");
  const granted = namespaces.length
    ? `admits client pods only from namespaces ${list(namespaces)}`
    : "admits no client pods";
  const namespaceRule: IValidation = {
    expression: clientNamespaceRule(release.name, namespaces),
    message: `pods labelled ${label} are clients of release ${release.name}, which ${granted} (${clientsKey})`,
    messageExpression: joined(
      celString("pod "),
      POD_NAME,
      celString(" in namespace "),
      "request.namespace",
      celString(
        ` is labelled ${label}, but release ${release.name} ${granted}; to grant it, add the namespace to ${clientsKey} (or remove the label)`,
      ),
    ),
    reason: "Forbidden",
  };
  const accountRules = release.clients.flatMap((grant): IValidation[] => {
    if (!grant.serviceAccounts) return [];
    const accounts = list(grant.serviceAccounts);
    const accountsKey = configKey([
      "releases",
      release.index,
      "clients",
      grant.index,
      "serviceAccounts",
    ]);
    return [
      {
        expression: clientServiceAccountRule(release.name, grant.namespace, grant.serviceAccounts),
        message: `release ${release.name} admits client pods (${label}) in namespace ${grant.namespace} only under ServiceAccounts ${accounts} (${accountsKey})`,
        messageExpression: joined(
          celString("pod "),
          POD_NAME,
          celString(` in namespace ${grant.namespace} runs as ServiceAccount `),
          POD_SERVICE_ACCOUNT,
          celString(
            `, but release ${release.name} admits client pods (${label}) in ${grant.namespace} only under ${accounts}; to grant it, add the account to ${accountsKey} (or remove the label)`,
          ),
        ),
        reason: "Forbidden",
      },
    ];
  });
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: clusterScopedMetadata(
      release,
      clientPolicyName(release),
      `${SOURCE}#clientAdmissionPolicy`,
    ),
    spec: {
      failurePolicy: "Fail",
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: [""],
            apiVersions: ["v1"],
            resources: ["pods"],
            operations: [...CLIENT_POD_OPERATIONS],
            scope: "Namespaced",
          },
        ],
        // Old or new object: an UPDATE that adds the label is caught, one that removes it
        // passes the validations (they read the object left behind).
        objectSelector: { matchLabels: { [CLIENT_LABEL]: release.name } },
      },
      validations: [namespaceRule, ...accountRules],
    },
  };
}

/** Binds the client policy everywhere with Deny (clients run in other teams' namespaces). */
export function clientAdmissionPolicyBinding(
  release: ReleaseConfig,
): IValidatingAdmissionPolicyBinding {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: clusterScopedMetadata(
      release,
      clientPolicyName(release),
      `${SOURCE}#clientAdmissionPolicyBinding`,
    ),
    spec: {
      policyName: clientPolicyName(release),
      validationActions: ["Deny"],
    },
  };
}
