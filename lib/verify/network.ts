import { NetworkModel } from "../kube/analysis/networkPolicy";
import type { PodModel } from "../kube/analysis/pods";
import { PORTS } from "../naming/names";
import { componentOf, releaseOf, releasesIn, type ClusterObjects } from "./objects";
import { row, type CheckResult } from "./result";

/** Flows a release needs inside itself: [from component, to component, ports]. */
export const EXPECTED_FLOWS: readonly (readonly [string, string, readonly number[]])[] = [
  ["worker", "master", [PORTS.masterRpc]],
  ["executor", "connect", [PORTS.driverRpc, PORTS.blockManager]],
  ["connect", "executor", [PORTS.blockManager]],
  ["worker", "metastore", [PORTS.metastoreThrift]],
  ["connect", "metastore", [PORTS.metastoreThrift]],
  ["executor", "metastore", [PORTS.metastoreThrift]],
];

/** Ports a pod may listen on: its declared container ports plus every platform port. */
function targetPorts(pod: PodModel): number[] {
  const declared = (pod.spec.containers ?? []).flatMap((c) =>
    (c.ports ?? []).map((p) => p.containerPort),
  );
  return [...new Set([...declared, ...Object.values(PORTS)])].sort((a, b) => a - b);
}

/**
 * No pod of one release reaches any port of a pod of another release, and inside a
 * release the flows Spark needs are allowed, both under the NetworkPolicies as the API
 * server evaluates them.
 */
export function networkIsolation(objects: ClusterObjects): CheckResult[] {
  const model = new NetworkModel(objects.manifests);
  const results: CheckResult[] = [];
  const releases = releasesIn(objects);
  const podsOf = (release: string) => objects.pods.filter((p) => releaseOf(p.labels) === release);
  for (const from of releases) {
    for (const to of releases) {
      if (from === to) continue;
      const reachable: string[] = [];
      let pairs = 0;
      for (const source of podsOf(from)) {
        for (const target of podsOf(to)) {
          for (const port of targetPorts(target)) {
            pairs++;
            if (model.canReach(source, target, port)) {
              reachable.push(`${source.origin} -> ${target.origin}:${port}`);
            }
          }
        }
      }
      const shown = reachable.slice(0, 5);
      const more =
        reachable.length > shown.length ? ` and ${reachable.length - shown.length} more` : "";
      results.push(
        row(
          "network-isolation",
          `${from} -> ${to}`,
          reachable.length ? [`reachable: ${shown.join(", ")}${more}`] : [],
          `0 of ${pairs} pod/port pairs reachable`,
        ),
      );
    }
  }
  for (const release of releases) {
    const pods = podsOf(release);
    for (const [fromComponent, toComponent, ports] of EXPECTED_FLOWS) {
      const sources = pods.filter((p) => componentOf(p) === fromComponent);
      const targets = pods.filter((p) => componentOf(p) === toComponent);
      if (sources.length === 0 || targets.length === 0) continue;
      const blocked: string[] = [];
      for (const source of sources) {
        for (const target of targets) {
          for (const port of ports) {
            if (!model.canReach(source, target, port)) {
              blocked.push(`${source.origin} -> ${target.origin}:${port}`);
            }
          }
        }
      }
      results.push(
        row(
          "network-isolation",
          `${release}: ${fromComponent} -> ${toComponent} ${ports.join("/")}`,
          blocked.length ? [`needed flow blocked: ${blocked.join(", ")}`] : [],
          "allowed",
        ),
      );
    }
  }
  return results;
}
