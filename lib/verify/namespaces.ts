import { ENFORCE_LABEL, isPodSecurityLevel, podSecurityViolations } from "../kube/podSecurity";
import { placedForClients, releaseOf, releaseOfManifest, type ClusterObjects } from "./objects";
import { row, type CheckResult } from "./result";

export type NamespaceLayout = "shared" | "perRelease";

/**
 * shared: every release in one namespace; perRelease: each release alone in its own.
 * Without an expected layout it is inferred (one namespace in use means shared). Every
 * namespace in use carries a Pod Security enforce label, and every pod in it (templates,
 * executor templates, running pods) meets the level it names (lib/kube/podSecurity.ts): a
 * pod that does not would be refused by the API server, or escaped it.
 */
export function namespaceLayout(
  objects: ClusterObjects,
  expected?: NamespaceLayout,
): CheckResult[] {
  const namespacesOf = new Map<string, Set<string>>();
  const releasesOf = new Map<string, Set<string>>();
  const note = (release: string, namespace: string) => {
    namespacesOf.set(release, (namespacesOf.get(release) ?? new Set()).add(namespace));
    releasesOf.set(namespace, (releasesOf.get(namespace) ?? new Set()).add(release));
  };
  for (const m of objects.manifests) {
    const release = releaseOfManifest(m);
    // A release's objects for its clients (the client Secrets) live in the client namespaces.
    if (release && !placedForClients(m) && m.kind !== "Namespace" && m.metadata?.namespace)
      note(release, m.metadata.namespace);
  }
  for (const pod of objects.pods) {
    const release = releaseOf(pod.labels);
    if (release) note(release, pod.namespace);
  }
  const used = [...releasesOf.keys()].sort();
  const layout = expected ?? (used.length <= 1 ? "shared" : "perRelease");
  const results: CheckResult[] = [];
  for (const release of [...namespacesOf.keys()].sort()) {
    const namespaces = [...namespacesOf.get(release)!].sort();
    const problems: string[] = [];
    if (namespaces.length > 1)
      problems.push(`objects spread over namespaces ${namespaces.join(", ")}`);
    if (layout === "shared" && used.length > 1) {
      problems.push(`layout shared expects one namespace, releases use ${used.join(", ")}`);
    }
    if (layout === "perRelease") {
      for (const ns of namespaces) {
        const others = [...releasesOf.get(ns)!].filter((r) => r !== release).sort();
        if (others.length) problems.push(`namespace ${ns} also holds ${others.join(", ")}`);
      }
    }
    results.push(
      row(
        "namespace-layout",
        `release ${release}`,
        problems,
        `${layout}: in ${namespaces.join(", ")}`,
      ),
    );
  }
  for (const ns of used) {
    const namespace = objects.manifests.find(
      (m) => m.kind === "Namespace" && m.metadata?.name === ns,
    );
    const problems: string[] = [];
    const enforce = namespace?.metadata?.labels?.[ENFORCE_LABEL];
    if (!namespace) problems.push(`Namespace ${ns} not found`);
    else if (!enforce) problems.push(`Namespace ${ns} has no ${ENFORCE_LABEL} label`);
    if (isPodSecurityLevel(enforce)) {
      for (const pod of objects.pods.filter((p) => p.namespace === ns)) {
        const violations = podSecurityViolations(pod.spec, enforce);
        if (violations.length > 0) {
          problems.push(`${pod.origin} breaks Pod Security ${enforce}: ${violations.join(", ")}`);
        }
      }
    }
    results.push(
      row("namespace-layout", `Namespace/${ns}`, problems, `pod security enforce=${enforce}`),
    );
  }
  return results;
}
