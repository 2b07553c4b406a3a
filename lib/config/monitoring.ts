import { configKey } from "./keys";
import type { ConfigIssue, PlatformConfig } from "./model";

/**
 * The monitoring namespace checked against the releases, so that admitting it means only
 * "Prometheus may scrape the metrics ports":
 *
 * - a namespace holding a release is refused: every pod of that release (and, in the
 *   shared namespace, of every release) would match the `allow-metrics` peer, so one
 *   release could read another's UI ports, which its NetworkPolicies otherwise close;
 * - a client namespace is refused: its pods would reach the releases' UI ports whatever
 *   their client label says, past the grant `releases[].clients` describes.
 */
export function monitoringIssues(config: PlatformConfig): ConfigIssue[] {
  const monitoring = config.monitoring;
  if (!monitoring) return [];
  const key = configKey(["monitoring", "namespace"]);
  const issues: ConfigIssue[] = [];
  const holders = config.releases.filter((r) => r.namespace === monitoring.namespace);
  if (holders.length > 0) {
    issues.push({
      key,
      message: `namespace ${monitoring.namespace} holds release ${holders.map((r) => `${r.name} (releases[${r.index}])`).join(", ")}; Prometheus runs in a namespace of its own, or every pod there would reach the metrics ports of every release`,
      releases: holders.map((r) => r.name),
    });
  }
  const granting = config.releases.filter((r) =>
    r.clients.some((grant) => grant.namespace === monitoring.namespace),
  );
  if (granting.length > 0) {
    const where = granting
      .map((r) => {
        const grant = r.clients.find((g) => g.namespace === monitoring.namespace)!;
        return `releases[${r.index}].clients[${grant.index}]`;
      })
      .join(", ");
    issues.push({
      key,
      message: `namespace ${monitoring.namespace} is a client namespace (${where}); Prometheus runs in a namespace of its own, or every pod there would reach the metrics ports whatever its client label`,
      releases: granting.map((r) => r.name),
    });
  }
  return issues;
}
