import { confinementOf, serviceAccountUser, type ApiResource } from "../kube/analysis/admission";
import { RELEASE_LABEL, manifestId, type KubeManifest } from "../kube/objects";
import { namespaceOf, ofKind, releaseOf, releaseOfManifest, type ClusterObjects } from "./objects";
import type { CheckResult } from "./result";
import { boundRole, type Binding, type RoleManifest } from "./roles";

/** Verbs that change or remove objects (RBAC names; `*` is all of them). */
const WRITE_VERBS = ["create", "update", "patch", "delete", "deletecollection", "*"];

/** API group and plural of the kinds the platform and Spark create. */
const RESOURCE_OF_KIND: Readonly<Record<string, ApiResource>> = {
  Pod: { group: "", resource: "pods" },
  Service: { group: "", resource: "services" },
  ConfigMap: { group: "", resource: "configmaps" },
  Secret: { group: "", resource: "secrets" },
  ServiceAccount: { group: "", resource: "serviceaccounts" },
  PersistentVolumeClaim: { group: "", resource: "persistentvolumeclaims" },
  Deployment: { group: "apps", resource: "deployments" },
  StatefulSet: { group: "apps", resource: "statefulsets" },
  DaemonSet: { group: "apps", resource: "daemonsets" },
  Job: { group: "batch", resource: "jobs" },
  Role: { group: "rbac.authorization.k8s.io", resource: "roles" },
  RoleBinding: { group: "rbac.authorization.k8s.io", resource: "rolebindings" },
  NetworkPolicy: { group: "networking.k8s.io", resource: "networkpolicies" },
  PodDisruptionBudget: { group: "policy", resource: "poddisruptionbudgets" },
};

/** One way an account may write: a role, through a binding, in a namespace (`*`: all). */
interface WriteGrant {
  readonly role: RoleManifest;
  readonly binding: Binding;
  readonly namespace: string;
  readonly verbs: readonly string[];
  readonly resources: readonly ApiResource[];
}

const key = (r: ApiResource) => `${r.group}/${r.resource}`;
const resourceText = (r: ApiResource) => (r.group ? `${r.resource}.${r.group}` : r.resource);

/** What a role's rules let its holder write: verbs and resources (subresources left out). */
export function writableResources(role: Pick<RoleManifest, "rules">): {
  verbs: string[];
  resources: ApiResource[];
} {
  const verbs = new Set<string>();
  const resources = new Map<string, ApiResource>();
  for (const rule of role.rules ?? []) {
    const writes = rule.verbs.filter((v) => WRITE_VERBS.includes(v));
    if (writes.length === 0 || (rule.resourceNames ?? []).length > 0) continue;
    writes.forEach((v) => verbs.add(v));
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        if (resource.includes("/")) continue;
        if (group === "*" || resource === "*") {
          // Every kind the check knows in that group (or of that name in every group).
          for (const r of Object.values(RESOURCE_OF_KIND)) {
            if (
              (group === "*" || r.group === group) &&
              (resource === "*" || r.resource === resource)
            ) {
              resources.set(key(r), r);
            }
          }
        } else {
          resources.set(key({ group, resource }), { group, resource });
        }
      }
    }
  }
  return { verbs: [...verbs], resources: [...resources.values()] };
}

function writeGrants(objects: ClusterObjects, account: KubeManifest): WriteGrant[] {
  const accountNamespace = namespaceOf(account);
  const grants: WriteGrant[] = [];
  for (const binding of ofKind<Binding>(objects, "RoleBinding", "ClusterRoleBinding")) {
    const binds = (binding.subjects ?? []).some(
      (s) =>
        s.kind === "ServiceAccount" &&
        s.name === account.metadata?.name &&
        (s.namespace ?? namespaceOf(binding)) === accountNamespace,
    );
    const role = binds ? boundRole(objects, binding) : undefined;
    if (!role) continue;
    const { verbs, resources } = writableResources(role);
    if (verbs.length === 0 || resources.length === 0) continue;
    const namespace = binding.kind === "ClusterRoleBinding" ? "*" : namespaceOf(binding);
    grants.push({ role, binding, namespace, verbs, resources });
  }
  return grants;
}

/**
 * Objects of other releases that the grant lets the account write: manifests of a
 * writable kind in the grant's namespace, and for pods the pods each workload (or Spark
 * executor template) of another release runs there.
 */
function exposedObjects(objects: ClusterObjects, release: string, grant: WriteGrant): string[] {
  const inScope = (namespace: string) => grant.namespace === "*" || grant.namespace === namespace;
  const writable = new Set(grant.resources.map(key));
  const foreign = (owner: string | undefined) => owner !== undefined && owner !== release;
  const exposed: string[] = [];
  for (const m of objects.manifests) {
    const resource = RESOURCE_OF_KIND[m.kind];
    if (!resource || !writable.has(key(resource)) || !m.metadata?.namespace) continue;
    if (inScope(namespaceOf(m)) && foreign(releaseOfManifest(m))) exposed.push(manifestId(m));
  }
  if (writable.has(key(RESOURCE_OF_KIND["Pod"]!))) {
    for (const pod of objects.pods) {
      if (pod.origin.startsWith("Pod/")) continue; // live pods are listed as manifests above
      if (inScope(pod.namespace) && foreign(releaseOf(pod.labels))) {
        exposed.push(`pods of ${pod.origin}`);
      }
    }
  }
  return exposed;
}

function namespaceLabels(objects: ClusterObjects, namespace: string): Record<string, string> {
  const ns = objects.manifests.find(
    (m) => m.kind === "Namespace" && m.metadata?.name === namespace,
  );
  return { ...(ns?.metadata?.labels ?? {}) };
}

/**
 * RBAC cannot scope a Role by label: an account that may write pods, Services or
 * ConfigMaps in a namespace may write every release's there. Each release's account that
 * holds write rights must therefore be confined to its own release's objects by a
 * ValidatingAdmissionPolicy (lib/kube/analysis/admission.ts) wherever another release's objects
 * are within reach; the row fails naming the release, the Role, the binding and every
 * exposed object when none is. Where no other release's objects are in reach (a namespace
 * per release) the row passes and says whether a policy confines the account anyway.
 */
export function releaseWriteConfinement(objects: ClusterObjects): CheckResult[] {
  const results: CheckResult[] = [];
  for (const account of ofKind(objects, "ServiceAccount")) {
    const release = releaseOfManifest(account);
    if (!release) continue;
    const accountId = `${namespaceOf(account)}/${account.metadata?.name ?? ""}`;
    const user = serviceAccountUser(namespaceOf(account), account.metadata?.name ?? "");
    for (const grant of writeGrants(objects, account)) {
      const namespaces =
        grant.namespace === "*"
          ? [...new Set(objects.manifests.map((m) => m.metadata?.namespace).filter(Boolean))]
          : [grant.namespace];
      const exposed = exposedObjects(objects, release, grant);
      const confinements = (namespaces as string[]).map((namespace) => ({
        namespace,
        ...confinementOf(objects.manifests, {
          user,
          release,
          namespace,
          namespaceLabels: namespaceLabels(objects, namespace),
          resources: grant.resources,
        }),
      }));
      const unconfined = confinements.filter((c) => c.by.length === 0);
      const where = grant.namespace === "*" ? "every namespace" : `namespace ${grant.namespace}`;
      const what = `may ${grant.verbs.join(", ")} ${grant.resources.map(resourceText).join(", ")} in ${where} through ${manifestId(grant.role)} (${manifestId(grant.binding)})`;
      const confinedBy = [...new Set(confinements.flatMap((c) => c.by))];
      const problems: string[] = [];
      if (exposed.length > 0 && unconfined.length > 0) {
        const reasons = [...new Set(unconfined.flatMap((c) => c.reasons))];
        problems.push(
          `release ${release}: ServiceAccount ${accountId} ${what}, and no ValidatingAdmissionPolicy confines it to ${RELEASE_LABEL}=${release}${reasons.length ? ` (${reasons.join("; ")})` : ""}; exposed objects of other releases: ${exposed.join(", ")}`,
        );
      }
      const ok =
        confinedBy.length > 0
          ? `${accountId} ${what}; confined to ${RELEASE_LABEL}=${release} by ValidatingAdmissionPolicy ${confinedBy.join(", ")}; ${exposed.length} objects of other releases in reach, all guarded`
          : `${accountId} ${what}; no other release's objects in reach (not confined by an admission policy)`;
      results.push({
        check: "rbac-separation",
        subject: `writes of ${accountId}`,
        pass: problems.length === 0,
        detail: problems.length === 0 ? ok : problems.join("; "),
      });
    }
  }
  return results;
}
