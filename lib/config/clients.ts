import { configKey } from "./keys";
import type { ClientGrant, ConfigIssue, PlatformConfig, ReleaseConfig } from "./model";

/**
 * Client namespaces checked against the releases, so that a grant means only what it says:
 *
 * - a namespace holding another release is no client namespace: its pods are that
 *   release's (and its Connect server creates pods), so a grant would open one release
 *   to the other;
 * - a release's own namespace (the shared one, or its perRelease namespace) holds clients
 *   only under listed ServiceAccounts, none of them a release's: otherwise labelling any
 *   pod there would be enough;
 * - `createNamespace` never names a namespace the platform creates already, and two
 *   entries naming one namespace say the same (a namespace has one owner).
 *
 * Several releases may list the same namespace (an Airflow namespace during a migration).
 */
export function clientIssues(config: PlatformConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const releasesIn = new Map<string, ReleaseConfig[]>();
  for (const release of config.releases) {
    releasesIn.set(release.namespace, [...(releasesIn.get(release.namespace) ?? []), release]);
  }
  const firstListing = new Map<string, { release: ReleaseConfig; grant: ClientGrant }>();

  for (const release of config.releases) {
    for (const grant of release.clients) {
      const key = (...path: PropertyKey[]) =>
        configKey(["releases", release.index, "clients", grant.index, ...path]);
      const holders = releasesIn.get(grant.namespace) ?? [];
      const others = holders.filter((h) => h.name !== release.name);
      const own = holders.length > others.length;
      const issue = (at: string, message: string, involved: readonly ReleaseConfig[] = []) =>
        issues.push({
          key: at,
          message,
          releases: [release.name, ...involved.map((r) => r.name)],
        });

      if (own) {
        const what =
          config.namespaceLayout === "shared"
            ? `the shared namespace of every release`
            : `release ${release.name}'s own namespace`;
        if (!grant.serviceAccounts) {
          issue(
            key("serviceAccounts"),
            `is required: namespace ${grant.namespace} is ${what}, where labelling any pod spark-platform.io/client-of=${release.name} would make it a client; list the ServiceAccounts client pods run as`,
          );
        }
        (grant.serviceAccounts ?? []).forEach((account, position) => {
          const owner = holders.find((h) => h.names.serviceAccount === account);
          if (owner) {
            issue(
              key("serviceAccounts", position),
              `${account} is the ServiceAccount of release ${owner.name} (releases[${owner.index}]); client pods run under accounts of their own`,
              owner === release ? [] : [owner],
            );
          }
        });
      } else if (others.length > 0) {
        issue(
          key("namespace"),
          `namespace ${grant.namespace} holds release ${others.map((o) => `${o.name} (releases[${o.index}])`).join(", ")}; a release's namespace is no client namespace of another release: run the clients in a namespace of their own`,
          others,
        );
      }

      if (grant.createNamespace && holders.length > 0) {
        issue(
          key("createNamespace"),
          `namespace ${grant.namespace} is a release namespace, which the platform creates anyway; remove createNamespace`,
        );
      }
      const first = firstListing.get(grant.namespace);
      if (!first) {
        firstListing.set(grant.namespace, { release, grant });
      } else if (first.grant.createNamespace !== grant.createNamespace) {
        issue(
          key("createNamespace"),
          `is ${grant.createNamespace} here but ${first.grant.createNamespace} in releases[${first.release.index}].clients[${first.grant.index}], which lists namespace ${grant.namespace} too; a namespace has one owner, so every entry naming it says the same`,
          first.release === release ? [] : [first.release],
        );
      }
    }
  }
  return issues;
}

/**
 * The client namespaces the platform creates (`createNamespace: true`), each once however
 * many releases list it, in the order they first appear.
 */
export function createdClientNamespaces(config: PlatformConfig): string[] {
  const names = config.releases.flatMap((release) =>
    release.clients.filter((grant) => grant.createNamespace).map((grant) => grant.namespace),
  );
  return [...new Set(names)];
}
