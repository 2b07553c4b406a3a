import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { selectorMatches } from "../kube/analysis/networkPolicy";
import { manifestId, type KubeManifest } from "../kube/objects";
import { clientNamespaces, namedNamespaces } from "./clients";
import { namespaceOf, ofKind, releaseOf, releaseOfManifest, type ClusterObjects } from "./objects";
import { row, type CheckResult } from "./result";

type Policy = INetworkPolicy & KubeManifest;

/** The release policy that admits Prometheus (components/spark-release/networkPolicies.ts). */
const METRICS_POLICY = /-allow-metrics$/;
/** The container port every Spark UI (and so every metrics endpoint) is named by. */
const METRICS_PORT_NAME = "http-ui";

/** Releases whose pods (templates included) run in each namespace. */
function releasesByNamespace(objects: ClusterObjects): Map<string, Set<string>> {
  const byNamespace = new Map<string, Set<string>>();
  for (const pod of objects.pods) {
    const release = releaseOf(pod.labels);
    if (!release) continue;
    byNamespace.set(pod.namespace, (byNamespace.get(pod.namespace) ?? new Set()).add(release));
  }
  return byNamespace;
}

/** Problems of one release's metrics policy, and the namespaces and ports it admits. */
function inspect(
  objects: ClusterObjects,
  policy: Policy,
): { problems: string[]; namespaces: string[]; ports: number[] } {
  const id = manifestId(policy);
  const problems: string[] = [];
  const namespaces: string[] = [];
  const ports: number[] = [];
  const selected = objects.pods.filter(
    (pod) =>
      pod.namespace === namespaceOf(policy) &&
      selectorMatches(policy.spec?.podSelector, pod.labels),
  );
  const uiPorts = new Set(
    selected.flatMap((pod) =>
      (pod.spec.containers ?? []).flatMap((c) =>
        (c.ports ?? []).filter((p) => p.name === METRICS_PORT_NAME).map((p) => p.containerPort),
      ),
    ),
  );
  if ((policy.spec?.egress ?? []).length > 0) problems.push(`${id} also allows egress`);
  for (const rule of policy.spec?.ingress ?? []) {
    const peers = rule.from ?? [];
    if (peers.length === 0) problems.push(`${id} admits every source (a rule without from)`);
    for (const peer of peers) {
      const named = peer.namespaceSelector ? namedNamespaces(peer.namespaceSelector) : undefined;
      if (peer.ipBlock) problems.push(`${id} admits ipBlock ${peer.ipBlock.cidr}`);
      else if (!named) {
        problems.push(
          `${id} admits namespaces not named by kubernetes.io/metadata.name (${JSON.stringify(peer)})`,
        );
      } else namespaces.push(...named);
    }
    if (!rule.ports?.length) problems.push(`${id} admits every port (a rule without ports)`);
    for (const port of rule.ports ?? []) {
      if (typeof port.port !== "number" || port.endPort !== undefined) {
        problems.push(`${id} admits port ${JSON.stringify(port)}, not one port number`);
      } else if (!uiPorts.has(port.port)) {
        problems.push(
          `${id} admits port ${port.port}, which no pod it selects names ${METRICS_PORT_NAME}`,
        );
      } else ports.push(port.port);
    }
  }
  return { problems, namespaces: [...new Set(namespaces)], ports: [...new Set(ports)] };
}

/**
 * Metrics are admitted from the monitoring namespace only (`spark-platform:monitoring`):
 * each release's `allow-metrics` policy admits TCP to its UI ports (the container ports
 * named `http-ui` of the pods it selects) and nothing else, from namespaces named by
 * `kubernetes.io/metadata.name`; every release names the same one namespace, which holds
 * no release's pods and is no client namespace (either would open the UIs to pods the
 * release's other policies keep out). One row per release that has such a policy; none
 * when monitoring is off.
 */
export function metricsAccess(objects: ClusterObjects): CheckResult[] {
  const policies = ofKind<Policy>(objects, "NetworkPolicy").filter(
    (p) => releaseOfManifest(p) !== undefined && METRICS_POLICY.test(p.metadata?.name ?? ""),
  );
  const inspected = policies.map((policy) => ({ policy, ...inspect(objects, policy) }));
  const monitoring = [...new Set(inspected.flatMap((i) => i.namespaces))].sort();
  const holders = releasesByNamespace(objects);
  const clients = clientNamespaces(objects);
  return inspected
    .sort((a, b) => releaseOfManifest(a.policy)!.localeCompare(releaseOfManifest(b.policy)!))
    .map(({ policy, problems, namespaces, ports }) => {
      const release = releaseOfManifest(policy)!;
      const found = [...problems];
      if (monitoring.length > 1) {
        found.push(
          `the releases' metrics policies admit ${monitoring.join(", ")}: one monitoring namespace (spark-platform:monitoring.namespace) for every release`,
        );
      }
      for (const ns of namespaces) {
        const inNamespace = [...(holders.get(ns) ?? [])].sort();
        if (inNamespace.length > 0) {
          found.push(
            `${manifestId(policy)} admits namespace ${ns}, which holds release ${inNamespace.join(", ")}`,
          );
        }
        const granting = [...clients.entries()].filter(([, admitted]) => admitted.has(ns));
        if (granting.length > 0) {
          found.push(
            `${manifestId(policy)} admits namespace ${ns}, a client namespace of ${granting.map(([r]) => r).join(", ")}`,
          );
        }
      }
      return row(
        "metrics-access",
        `release ${release}`,
        found,
        `metrics ports ${ports.sort((a, b) => a - b).join(", ")} from namespace ${namespaces.join(", ")} only`,
      );
    });
}
