import type { PodModel } from "../kube/analysis/pods";
import { RELEASE_LABEL, manifestId } from "../kube/objects";
import {
  findObject,
  namespaceOf,
  ofKind,
  releaseMode,
  releaseOf,
  releaseOfManifest,
  releaseSparkConf,
  releasesIn,
  type ClusterObjects,
} from "./objects";
import { releaseText, row, type CheckResult } from "./result";
import { boundRole, type Binding, type RoleManifest } from "./roles";
import { releaseWriteConfinement } from "./writeConfinement";

/** Whether a Role's rules let its holder create pods. */
export function allowsPodCreate(role: Pick<RoleManifest, "rules">): boolean {
  return (role.rules ?? []).some(
    (rule) =>
      (rule.apiGroups ?? []).some((g) => g === "" || g === "*") &&
      (rule.resources ?? []).some((r) => r === "pods" || r === "*") &&
      rule.verbs.some((v) => v === "create" || v === "*"),
  );
}

/** Verbs a Role's rules allow on pods (core group), whatever they are. */
export function podVerbs(role: Pick<RoleManifest, "rules">): string[] {
  const verbs = (role.rules ?? [])
    .filter(
      (rule) =>
        (rule.apiGroups ?? []).some((g) => g === "" || g === "*") &&
        (rule.resources ?? []).some((r) => r === "pods" || r === "*" || r.startsWith("pods/")),
    )
    .flatMap((rule) => rule.verbs);
  return [...new Set(verbs)];
}

function serviceAccountRelease(
  objects: ClusterObjects,
  namespace: string,
  name: string,
): { found: boolean; release?: string } {
  const account = findObject(objects, "ServiceAccount", namespace, name);
  if (!account) return { found: false };
  const release = releaseOfManifest(account);
  return release ? { found: true, release } : { found: true };
}

/**
 * The ServiceAccount a pod really runs as: its own serviceAccountName, or for Spark
 * executor templates the account Spark puts on executors (spark-defaults.conf wins over
 * the template), or `default`.
 */
export function effectiveServiceAccount(objects: ClusterObjects, pod: PodModel): string {
  if (pod.origin.includes("#")) {
    const release = releaseOf(pod.labels);
    const fromConf = release
      ? releaseSparkConf(objects, release)[
          "spark.kubernetes.authenticate.executor.serviceAccountName"
        ]
      : undefined;
    if (fromConf) return fromConf;
  }
  return pod.spec.serviceAccountName ?? pod.spec.serviceAccount ?? "default";
}

/** Each pod runs as a ServiceAccount of its own release. */
export function podServiceAccounts(objects: ClusterObjects): CheckResult[] {
  return objects.pods.map((pod) => {
    const release = releaseOf(pod.labels);
    const account = effectiveServiceAccount(objects, pod);
    const owner = serviceAccountRelease(objects, pod.namespace, account);
    const problems: string[] = [];
    if (!release) problems.push(`pod has no ${RELEASE_LABEL} label`);
    if (!owner.found) {
      problems.push(`runs as ServiceAccount ${pod.namespace}/${account}, which does not exist`);
    } else if (owner.release !== release) {
      problems.push(
        `runs as ServiceAccount ${pod.namespace}/${account} of release ${releaseText(owner.release)}`,
      );
    }
    return row("rbac-separation", pod.origin, problems, `runs as ${pod.namespace}/${account}`);
  });
}

/** RoleBindings bind only their own release's ServiceAccounts. */
export function bindingSubjects(objects: ClusterObjects): CheckResult[] {
  return ofKind<Binding>(objects, "RoleBinding", "ClusterRoleBinding").map((binding) => {
    const release = releaseOfManifest(binding);
    const problems: string[] = [];
    if (!release) problems.push(`no ${RELEASE_LABEL} label`);
    for (const subject of binding.subjects ?? []) {
      if (subject.kind !== "ServiceAccount") {
        problems.push(`binds ${subject.kind} ${subject.name}, not a ServiceAccount of the release`);
        continue;
      }
      const namespace = subject.namespace ?? namespaceOf(binding);
      const owner = serviceAccountRelease(objects, namespace, subject.name);
      if (!owner.found) {
        problems.push(`binds ServiceAccount ${namespace}/${subject.name}, which does not exist`);
      } else if (owner.release !== release) {
        problems.push(
          `binds ServiceAccount ${namespace}/${subject.name} of release ${releaseText(owner.release)}`,
        );
      }
    }
    const subjects = (binding.subjects ?? []).map(
      (s) => `${s.namespace ?? namespaceOf(binding)}/${s.name}`,
    );
    return row("rbac-separation", manifestId(binding), problems, `binds ${subjects.join(", ")}`);
  });
}

/** Standalone releases hold no right on pods, least of all to create them (they never need the API). */
export function standalonePodCreate(objects: ClusterObjects): CheckResult[] {
  return releasesIn(objects)
    .filter((release) => releaseMode(objects, release) === "standalone")
    .map((release) => {
      const accounts = ofKind(objects, "ServiceAccount")
        .filter((a) => releaseOfManifest(a) === release)
        .map((a) => `${namespaceOf(a)}/${a.metadata?.name ?? ""}`);
      const problems: string[] = [];
      for (const binding of ofKind<Binding>(objects, "RoleBinding", "ClusterRoleBinding")) {
        const bound = (binding.subjects ?? []).filter(
          (s) =>
            s.kind === "ServiceAccount" &&
            accounts.includes(`${s.namespace ?? namespaceOf(binding)}/${s.name}`),
        );
        const role = boundRole(objects, binding);
        if (bound.length > 0 && role && allowsPodCreate(role)) {
          problems.push(
            `${manifestId(binding)} grants ${manifestId(role)} (create pods) to ${bound.map((s) => s.name).join(", ")}`,
          );
        } else if (bound.length > 0 && role && podVerbs(role).length > 0) {
          problems.push(
            `${manifestId(binding)} grants ${manifestId(role)} (${podVerbs(role).join(", ")} on pods) to ${bound.map((s) => s.name).join(", ")}: a standalone release does nothing with pods`,
          );
        }
      }
      return row(
        "rbac-separation",
        `standalone release ${release}`,
        problems,
        `no rights on pods for ${accounts.join(", ") || "its accounts"}`,
      );
    });
}

/**
 * The rbac-separation rows: bindings, standalone releases' pod rights, write confinement
 * (./writeConfinement.ts) and the account each pod runs as.
 */
export function rbacSeparation(objects: ClusterObjects): CheckResult[] {
  return [
    ...bindingSubjects(objects),
    ...standalonePodCreate(objects),
    ...releaseWriteConfinement(objects),
    ...podServiceAccounts(objects),
  ];
}
