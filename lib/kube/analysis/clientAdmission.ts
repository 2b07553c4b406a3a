import { CLIENT_LABEL, type KubeManifest } from "../objects";
import { celString } from "./admission";
import type { AdmissionRequest } from "./validatingAdmission";

/**
 * What "only a release's granted clients get in" means at admission, as CEL text the
 * policy builder (components/spark-release/clientAdmissionPolicy.ts) emits and
 * validatingAdmission.ts evaluates: a pod that carries `spark-platform.io/client-of:
 * <release>` after a CREATE or an UPDATE (labels are mutable) runs in one of the
 * release's granted namespaces, and under one of the listed ServiceAccounts where the
 * grant lists them. Pods without the label are none of these rules' business.
 */

/** The operations the client rules intercept on pods. */
export const CLIENT_POD_OPERATIONS = ["CREATE", "UPDATE"] as const;

const celList = (values: readonly string[]) => `[${values.map(celString).join(", ")}]`;

/** CEL: the pod the request creates or leaves behind claims to be a client of the release. */
export function claimsClientOf(release: string): string {
  const label = celString(CLIENT_LABEL);
  return `(has(object.metadata.labels) && ${label} in object.metadata.labels && object.metadata.labels[${label}] == ${celString(release)})`;
}

/** CEL: the ServiceAccount a pod runs as (admission fills an empty one with `default`). */
export const POD_SERVICE_ACCOUNT =
  "(has(object.spec.serviceAccountName) && object.spec.serviceAccountName != '' ? object.spec.serviceAccountName : 'default')";

/** CEL: the pod's name for messages (a generated name may not be set yet). */
export const POD_NAME =
  "(has(object.metadata.name) && object.metadata.name != '' ? object.metadata.name : '(generated name)')";

/** CEL: a client pod of the release runs in a granted namespace (none granted: nowhere). */
export function clientNamespaceRule(release: string, namespaces: readonly string[]): string {
  return `!${claimsClientOf(release)} || request.namespace in ${celList(namespaces)}`;
}

/** CEL: a client pod of the release in `namespace` runs as one of `accounts`. */
export function clientServiceAccountRule(
  release: string,
  namespace: string,
  accounts: readonly string[],
): string {
  return `!${claimsClientOf(release)} || request.namespace != ${celString(namespace)} || ${POD_SERVICE_ACCOUNT} in ${celList(accounts)}`;
}

/** A sample pod request: who claims what, where, as whom. */
export interface ClientPodProbe {
  readonly namespace: string;
  /** `spark-platform.io/client-of` of the pod after the request; absent: no such label. */
  readonly clientOf?: string;
  /** UPDATE only: the label before (absent: the pod had none). */
  readonly previousClientOf?: string;
  readonly operation?: (typeof CLIENT_POD_OPERATIONS)[number];
  /** `spec.serviceAccountName`; absent: none set (the namespace's `default`). */
  readonly serviceAccount?: string;
  readonly name?: string;
  /** Who sends the request (a controller for pods of Deployments and Jobs). */
  readonly user?: string;
}

/** The admission request of a pod CREATE or UPDATE, for trying policies on it. */
export function clientPodRequest(probe: ClientPodProbe): AdmissionRequest {
  const pod = (clientOf: string | undefined): KubeManifest =>
    ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: probe.name ?? "probe",
        namespace: probe.namespace,
        labels: { app: "client", ...(clientOf !== undefined ? { [CLIENT_LABEL]: clientOf } : {}) },
      },
      spec: {
        ...(probe.serviceAccount !== undefined ? { serviceAccountName: probe.serviceAccount } : {}),
        containers: [{ name: "client", image: "client" }],
      },
    }) as KubeManifest;
  const operation = probe.operation ?? "CREATE";
  return {
    operation,
    resource: { group: "", version: "v1", resource: "pods" },
    namespace: probe.namespace,
    object: pod(probe.clientOf),
    ...(operation === "UPDATE" ? { oldObject: pod(probe.previousClientOf) } : {}),
    user: probe.user ?? "system:serviceaccount:kube-system:replicaset-controller",
  };
}
