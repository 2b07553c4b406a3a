import type { IService } from "kubernetes-models/v1/Service";
import { selectorMatches } from "../kube/analysis/networkPolicy";
import { RELEASE_LABEL, manifestId, type KubeManifest } from "../kube/objects";
import { namespaceOf, ofKind, releaseOf, releaseOfManifest, type ClusterObjects } from "./objects";
import { releaseText, row, type CheckResult } from "./result";

/**
 * Each Service selects only pods of its own release (its selector pins the release label
 * and, evaluated against every pod, matches none of another release), carries its
 * release's name prefix, and no two Services share a namespace and name.
 */
export function serviceIsolation(objects: ClusterObjects): CheckResult[] {
  const services = ofKind<IService & KubeManifest>(objects, "Service");
  const byKey = new Map<string, string[]>();
  for (const s of services) {
    const key = `${namespaceOf(s)}/${s.metadata?.name ?? ""}`;
    byKey.set(key, [...(byKey.get(key) ?? []), releaseText(releaseOfManifest(s))]);
  }
  return services.map((service) => {
    const id = manifestId(service);
    const release = releaseOfManifest(service);
    const problems: string[] = [];
    const owners = byKey.get(`${namespaceOf(service)}/${service.metadata?.name ?? ""}`) ?? [];
    if (owners.length > 1) {
      problems.push(
        `${owners.length} Services share this namespace and name (${owners.join(", ")})`,
      );
    }
    if (!release) problems.push(`no ${RELEASE_LABEL} label`);
    else if (!service.metadata?.name?.startsWith(`${release}-`)) {
      problems.push(`name lacks the release prefix "${release}-" and may collide`);
    }
    const selector = service.spec?.selector;
    if (!selector || Object.keys(selector).length === 0) {
      problems.push("no selector: its endpoints are not bound to any release");
      return row("service-isolation", id, problems, "");
    }
    if (release && selector[RELEASE_LABEL] !== release) {
      problems.push(
        `selector ${JSON.stringify(selector)} does not pin ${RELEASE_LABEL}=${release}, so it can match other releases' pods`,
      );
    }
    const matched = objects.pods.filter(
      (p) =>
        p.namespace === namespaceOf(service) &&
        selectorMatches({ matchLabels: selector }, p.labels),
    );
    const foreign = matched.filter((p) => releaseOf(p.labels) !== release);
    if (foreign.length > 0) {
      problems.push(
        `selects pods of other releases: ${foreign.map((p) => `${p.origin} (${releaseText(releaseOf(p.labels))})`).join(", ")}`,
      );
    }
    if (matched.length === 0) problems.push("selects no pod at all");
    return row(
      "service-isolation",
      id,
      problems,
      `selects only ${release} pods (${matched.map((p) => p.origin).join(", ")})`,
    );
  });
}
