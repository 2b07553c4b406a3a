import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import type { INetworkPolicyPort } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort";
import type { KubeManifest } from "../objects";

/**
 * A small evaluator of Kubernetes NetworkPolicy semantics, so isolation can be proven on
 * rendered manifests: which pod may open which port on which other pod. It follows the
 * API's rules (policies are additive allow-lists; a pod is isolated for a direction only
 * once a policy of that type selects it; podSelector-only peers stay in the policy's
 * namespace). ipBlock peers are treated as never matching in-cluster pods.
 */

export interface Endpoint {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expr of selector.matchExpressions ?? []) {
    const value = labels[expr.key];
    const values = expr.values ?? [];
    switch (expr.operator) {
      case "In":
        if (value === undefined || !values.includes(value)) return false;
        break;
      case "NotIn":
        if (value !== undefined && values.includes(value)) return false;
        break;
      case "Exists":
        if (value === undefined) return false;
        break;
      case "DoesNotExist":
        if (value !== undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export class NetworkModel {
  private readonly policies: INetworkPolicy[];
  private readonly namespaceLabels = new Map<string, Record<string, string>>();

  constructor(manifests: readonly KubeManifest[]) {
    this.policies = manifests.filter((m) => m.kind === "NetworkPolicy") as INetworkPolicy[];
    for (const m of manifests) {
      if (m.kind === "Namespace" && m.metadata?.name) {
        this.namespaceLabels.set(m.metadata.name, {
          ...(m.metadata.labels ?? {}),
          "kubernetes.io/metadata.name": m.metadata.name,
        });
      }
    }
  }

  private labelsOfNamespace(namespace: string): Record<string, string> {
    return this.namespaceLabels.get(namespace) ?? { "kubernetes.io/metadata.name": namespace };
  }

  private peerMatches(peer: INetworkPolicyPeer, policyNamespace: string, other: Endpoint): boolean {
    if (peer.ipBlock) return false;
    const namespaceOk = peer.namespaceSelector
      ? selectorMatches(peer.namespaceSelector, this.labelsOfNamespace(other.namespace))
      : other.namespace === policyNamespace;
    const podOk = peer.podSelector ? selectorMatches(peer.podSelector, other.labels) : true;
    return namespaceOk && podOk;
  }

  private static portMatches(
    ports: INetworkPolicyPort[] | undefined,
    port: number,
    protocol: string,
  ): boolean {
    if (!ports || ports.length === 0) return true;
    return ports.some((p) => {
      if ((p.protocol ?? "TCP") !== protocol) return false;
      if (p.port === undefined) return true;
      if (typeof p.port === "string") return false;
      const end = p.endPort ?? p.port;
      return port >= p.port && port <= end;
    });
  }

  private selecting(pod: Endpoint, type: "Ingress" | "Egress"): INetworkPolicy[] {
    return this.policies.filter((p) => {
      if ((p.metadata?.namespace ?? "default") !== pod.namespace) return false;
      if (!selectorMatches(p.spec?.podSelector, pod.labels)) return false;
      const types = p.spec?.policyTypes ?? (p.spec?.egress ? ["Ingress", "Egress"] : ["Ingress"]);
      return types.includes(type);
    });
  }

  /** Whether `from` may open `port` on `to`, considering egress of one and ingress of the other. */
  canReach(from: Endpoint, to: Endpoint, port: number, protocol = "TCP"): boolean {
    const egress = this.selecting(from, "Egress");
    const egressOk =
      egress.length === 0 ||
      egress.some((p) =>
        (p.spec?.egress ?? []).some(
          (rule) =>
            NetworkModel.portMatches(rule.ports, port, protocol) &&
            (!rule.to ||
              rule.to.length === 0 ||
              rule.to.some((peer) => this.peerMatches(peer, from.namespace, to))),
        ),
      );
    if (!egressOk) return false;
    const ingress = this.selecting(to, "Ingress");
    return (
      ingress.length === 0 ||
      ingress.some((p) =>
        (p.spec?.ingress ?? []).some(
          (rule) =>
            NetworkModel.portMatches(rule.ports, port, protocol) &&
            (!rule.from ||
              rule.from.length === 0 ||
              rule.from.some((peer) => this.peerMatches(peer, to.namespace, from))),
        ),
      )
    );
  }
}
