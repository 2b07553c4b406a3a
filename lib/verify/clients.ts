import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import type { PolicyBindingManifest } from "../kube/analysis/admission";
import { CelUnsupported } from "../kube/analysis/cel";
import { CLIENT_POD_OPERATIONS, clientPodRequest } from "../kube/analysis/clientAdmission";
import { admissionOutcome } from "../kube/analysis/validatingAdmission";
import { CLIENT_LABEL, manifestId, type KubeManifest } from "../kube/objects";
import {
  namespaceOf,
  ofKind,
  placedForClients,
  releaseOfManifest,
  releasesIn,
  type ClusterObjects,
} from "./objects";
import { row, type CheckResult } from "./result";

type Selector = INetworkPolicyPeer["namespaceSelector"];
type Policy = INetworkPolicy & KubeManifest;

const NAME_LABEL = "kubernetes.io/metadata.name";

const isEmpty = (selector: Selector) =>
  Object.keys(selector?.matchLabels ?? {}).length === 0 &&
  (selector?.matchExpressions ?? []).length === 0;

/** The release whose client label a pod selector admits, if it admits one. */
function clientOf(peer: INetworkPolicyPeer): string | undefined {
  const pods = peer.podSelector;
  const value = pods?.matchLabels?.[CLIENT_LABEL];
  if (value !== undefined) return value;
  const expression = (pods?.matchExpressions ?? []).find((e) => e.key === CLIENT_LABEL);
  if (!expression) return undefined;
  return expression.operator === "In" ? (expression.values ?? []).join("|") : "*";
}

/** The namespaces a selector pins by name (`kubernetes.io/metadata.name`), if it pins them. */
export function namedNamespaces(selector: Selector): string[] | undefined {
  const labels = selector?.matchLabels ?? {};
  const expressions = selector?.matchExpressions ?? [];
  if (Object.keys(labels).some((k) => k !== NAME_LABEL)) return undefined;
  if (expressions.some((e) => e.key !== NAME_LABEL || e.operator !== "In")) return undefined;
  let names = labels[NAME_LABEL] !== undefined ? [labels[NAME_LABEL]] : undefined;
  for (const expression of expressions) {
    const values = expression.values ?? [];
    names = (names ?? values).filter((name) => values.includes(name));
  }
  return names;
}

/** Every peer of a policy, ingress and egress. */
const peersOf = (policy: Policy): INetworkPolicyPeer[] => [
  ...(policy.spec?.ingress ?? []).flatMap((rule) => rule.from ?? []),
  ...(policy.spec?.egress ?? []).flatMap((rule) => rule.to ?? []),
];

/** Per release, the namespaces its NetworkPolicies admit its client pods from. */
export function clientNamespaces(objects: ClusterObjects): Map<string, Map<string, string[]>> {
  const byRelease = new Map<string, Map<string, string[]>>();
  for (const policy of ofKind<Policy>(objects, "NetworkPolicy")) {
    const release = releaseOfManifest(policy);
    if (!release) continue;
    for (const peer of peersOf(policy)) {
      if (clientOf(peer) === undefined) continue;
      const namespaces = peer.namespaceSelector
        ? (namedNamespaces(peer.namespaceSelector) ?? ["every namespace its selector matches"])
        : [namespaceOf(policy)];
      const admitted = byRelease.get(release) ?? new Map<string, string[]>();
      for (const ns of namespaces) {
        admitted.set(ns, [...new Set([...(admitted.get(ns) ?? []), manifestId(policy)])]);
      }
      byRelease.set(release, admitted);
    }
  }
  return byRelease;
}

/**
 * The platform's NetworkPolicies name every namespace they admit from: no peer with
 * `namespaceSelector: {}` (every namespace), and no peer admitting the client label
 * without pinning namespaces by name (a podSelector-only peer admits every labelled pod
 * of the policy's own namespace). One row per release.
 */
export function openClientPeers(objects: ClusterObjects): CheckResult[] {
  const problems = new Map<string, string[]>();
  for (const policy of ofKind<Policy>(objects, "NetworkPolicy")) {
    const release = releaseOfManifest(policy);
    if (!release) continue;
    const found = problems.get(release) ?? [];
    for (const peer of peersOf(policy)) {
      const client = clientOf(peer);
      const admits = client !== undefined ? `pods ${CLIENT_LABEL}=${client}` : "pods";
      if (peer.namespaceSelector && isEmpty(peer.namespaceSelector)) {
        found.push(
          `${manifestId(policy)} admits ${admits} of every namespace (namespaceSelector: {})`,
        );
      } else if (client !== undefined && !peer.namespaceSelector) {
        found.push(
          `${manifestId(policy)} admits ${admits} of its namespace ${namespaceOf(policy)} without naming it: any pod labelled there is a client`,
        );
      } else if (client !== undefined && !namedNamespaces(peer.namespaceSelector)) {
        found.push(
          `${manifestId(policy)} admits ${admits} of namespaces chosen by labels, not by ${NAME_LABEL}`,
        );
      }
    }
    problems.set(release, [...new Set(found)]);
  }
  const admitted = clientNamespaces(objects);
  return [...problems.keys()].sort().map((release) => {
    const namespaces = [...(admitted.get(release)?.keys() ?? [])];
    const found = problems.get(release)!;
    return row(
      "client-access",
      `release ${release}: network`,
      found.length
        ? [...found, "grant client namespaces by name (spark-platform:releases[].clients)"]
        : [],
      namespaces.length
        ? `client pods only from namespaces ${namespaces.join(", ")}, each named`
        : "admits no client pods",
    );
  });
}

/** Admission of one request under each policy (and its bindings) the model can read. */
function denials(manifests: readonly KubeManifest[], request: ReturnType<typeof clientPodRequest>) {
  const bindings = manifests.filter(
    (m): m is PolicyBindingManifest => m.kind === "ValidatingAdmissionPolicyBinding",
  );
  return manifests
    .filter((m) => m.kind === "ValidatingAdmissionPolicy")
    .flatMap((policy) => {
      const own = bindings.filter((b) => b.spec?.policyName === policy.metadata?.name);
      try {
        return admissionOutcome([policy, ...own], request).denials;
      } catch (error) {
        // A policy with parameters or variables (another tool's) cannot be evaluated here.
        if (error instanceof CelUnsupported) return [];
        throw error;
      }
    });
}

/**
 * A release whose NetworkPolicies admit client pods needs an admission policy that
 * refuses its client label where no grant is: tried on sample pods, as the API server
 * would evaluate them, a pod labelled `spark-platform.io/client-of: <release>` in a
 * namespace the NetworkPolicies do not admit must be refused on CREATE and on UPDATE;
 * and in an admitted namespace that holds the release itself (the shared namespace), a
 * pod under a ServiceAccount nobody granted must be refused too, or labelling any pod
 * there would be enough. One row per release.
 */
export function clientAdmissionGaps(objects: ClusterObjects): CheckResult[] {
  const admitted = clientNamespaces(objects);
  const releaseNamespaces = (release: string) =>
    new Set(
      objects.manifests
        .filter(
          (m) => m.kind !== "Namespace" && !placedForClients(m) && releaseOfManifest(m) === release,
        )
        .map((m) => m.metadata?.namespace)
        .filter((ns): ns is string => ns !== undefined),
    );
  return releasesIn(objects).map((release) => {
    const granted = admitted.get(release);
    if (!granted || granted.size === 0) {
      return row("client-access", `release ${release}: admission`, [], "admits no client pods");
    }
    const names = [...granted.keys()];
    let unlisted = "verify-ungranted";
    while (granted.has(unlisted)) unlisted += "-x";
    const probes = [
      ...CLIENT_POD_OPERATIONS.map((operation) => ({
        what: `${operation} of a pod labelled ${CLIENT_LABEL}=${release} in ungranted namespace ${unlisted}`,
        request: clientPodRequest({ namespace: unlisted, clientOf: release, operation }),
      })),
      ...names
        .filter((ns) => releaseNamespaces(release).has(ns))
        .map((ns) => ({
          what: `CREATE of a pod labelled ${CLIENT_LABEL}=${release} in its own namespace ${ns} under an ungranted ServiceAccount`,
          request: clientPodRequest({
            namespace: ns,
            clientOf: release,
            serviceAccount: "verify-ungranted-account",
          }),
        })),
    ];
    const problems: string[] = [];
    const by = new Set<string>();
    for (const probe of probes) {
      const refused = denials(objects.manifests, probe.request);
      if (refused.length === 0) problems.push(`${probe.what} is admitted`);
      refused.forEach((d) => by.add(`${d.policy} (binding ${d.binding})`));
    }
    const through = [...new Set([...granted.values()].flat())].join(", ");
    return row(
      "client-access",
      `release ${release}: admission`,
      problems.length
        ? [
            `release ${release} admits client pods from ${names.join(", ")} (${through}), but no ValidatingAdmissionPolicy with a Deny binding refuses its client label where it is not granted: ${problems.join("; ")}`,
          ]
        : [],
      `client pods outside ${names.join(", ")} refused by ValidatingAdmissionPolicy ${[...by].join(", ")}`,
    );
  });
}

/** Both client checks, network first. */
export function clientAccess(objects: ClusterObjects): CheckResult[] {
  return [...openClientPeers(objects), ...clientAdmissionGaps(objects)];
}
