import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyEgressRule } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import { RELEASE_LABEL, manifestId } from "../kube/objects";
import type { CheckResult } from "./result";
import { isNotebookObject, ofKind, releaseOfManifest, type ClusterObjects } from "./objects";

type LabelSelector = INetworkPolicyPeer["podSelector"];

const isEmpty = (selector: LabelSelector) =>
  !selector ||
  (Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0);

const selectorText = (selector: LabelSelector) =>
  [
    ...Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(selector?.matchExpressions ?? []).map(
      (e) => `${e.key} ${e.operator}${e.values ? ` (${e.values.join(",")})` : ""}`,
    ),
  ].join(",");

/** A peer as text, and whether it leaves the destination open (any address). */
function describePeer(peer: INetworkPolicyPeer): { text: string; open: boolean } {
  if (peer.ipBlock) {
    const prefix = Number(peer.ipBlock.cidr.split("/")[1]);
    const except = peer.ipBlock.except?.length ? ` except ${peer.ipBlock.except.join(",")}` : "";
    return { text: `${peer.ipBlock.cidr}${except}`, open: prefix === 0 };
  }
  const namespaces = peer.namespaceSelector
    ? isEmpty(peer.namespaceSelector)
      ? "every namespace"
      : `namespaces ${selectorText(peer.namespaceSelector)}`
    : "its namespace";
  const pods = isEmpty(peer.podSelector) ? "every pod" : `pods ${selectorText(peer.podSelector)}`;
  // Every pod of every namespace is the whole cluster; a label narrows it.
  return {
    text: `${pods} in ${namespaces}`,
    open:
      Boolean(peer.namespaceSelector) &&
      isEmpty(peer.namespaceSelector) &&
      isEmpty(peer.podSelector),
  };
}

const portsText = (rule: INetworkPolicyEgressRule) =>
  (rule.ports ?? []).length === 0
    ? "every port"
    : (rule.ports ?? [])
        .map((p) => `${p.port ?? "*"}${p.endPort ? `-${p.endPort}` : ""}/${p.protocol ?? "TCP"}`)
        .join(", ");

/**
 * Where each release NetworkPolicy lets pods connect to. A rule with no destination
 * (`to` absent or empty), a /0 ipBlock or every pod of every namespace leaves the
 * destination open: the row passes but carries a warning, since some such rules are the
 * best a NetworkPolicy can say (an external DNS name, an API server whose address the
 * config does not give). Warnings name the config key that would narrow the rule.
 */
export function egressDestinations(objects: ClusterObjects): CheckResult[] {
  const results: CheckResult[] = [];
  for (const policy of ofKind<INetworkPolicy & { kind: string }>(objects, "NetworkPolicy")) {
    const rules = policy.spec?.egress ?? [];
    if (!(policy.spec?.policyTypes ?? []).includes("Egress") || rules.length === 0) continue;
    // A notebook's policy is a client's: notebook-access checks where it lets the pod go.
    if (isNotebookObject(policy.metadata?.labels)) continue;
    const release = releaseOfManifest(policy);
    const parts: string[] = [];
    const open: string[] = [];
    for (const rule of rules) {
      const peers = (rule.to ?? []).map(describePeer);
      const ports = portsText(rule);
      if (peers.length === 0) {
        parts.push(`any address on ${ports}`);
        open.push(`any address on ${ports}`);
        continue;
      }
      parts.push(`${peers.map((p) => p.text).join("; ")} on ${ports}`);
      for (const peer of peers.filter((p) => p.open)) open.push(`${peer.text} on ${ports}`);
    }
    const detail = `egress to ${parts.join(" | ")}`;
    const hint = hintFor(policy.metadata?.name ?? "");
    results.push({
      check: "network-egress",
      subject: manifestId(policy),
      pass: release !== undefined,
      ...(open.length > 0
        ? { warning: `destination open: ${open.join(", ")}${hint ? `; ${hint}` : ""}` }
        : {}),
      detail: release === undefined ? `no ${RELEASE_LABEL} label; ${detail}` : detail,
    });
  }
  return results;
}

/** The config key that narrows an open rule of one of the platform's policies. */
function hintFor(name: string): string | undefined {
  if (name.endsWith("-allow-kube-api")) return "set spark-platform:kubernetes.apiServerCidrs";
  if (name.endsWith("-allow-object-store")) return "set spark-platform:objectStore.egressCidrs";
  if (name.endsWith("-allow-postgres")) return "set spark-platform:postgres.egressCidrs";
  if (name.endsWith("-allow-jar-repository")) {
    return "use a mirror with spark-platform:jars.egressCidrs, or jars.source: image";
  }
  return undefined;
}
