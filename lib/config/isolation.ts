import { prefixesOverlap } from "../naming/prefixes";
import type { ConfigIssue, PlatformConfig, ReleaseConfig } from "./model";

/**
 * Cross-release checks: everything a release owns must be its own. A configuration
 * that would make two releases share a database, role, event-log or warehouse prefix,
 * ServiceAccount, namespace (per-release layout) or any object name is refused here,
 * before a single resource is registered.
 */

const key = (release: ReleaseConfig, path: string) =>
  `spark-platform:releases[${release.index}].${path}`;

/** Spark settings that carry isolation or credentials: set by the platform only. */
const PLATFORM_OWNED_SPARK_CONF = [
  /^spark\.master$/,
  /^spark\.eventLog\.dir$/,
  /^spark\.history\.fs\.logDirectory$/,
  /^spark\.sql\.warehouse\.dir$/,
  /^spark\.hadoop\.hive\.metastore\.uris$/,
  /^spark\.sql\.catalogImplementation$/,
  /^spark\.kubernetes\.namespace$/,
  /^spark\.kubernetes\.authenticate\./,
  /^spark\.kubernetes\.executor\.podNamePrefix$/,
  /^spark\.kubernetes\.executor\.podTemplateFile$/,
  // The release label on executors and the disabled executor ConfigMap are what the
  // release's ValidatingAdmissionPolicy admits (components/spark-release/admissionPolicy.ts).
  /^spark\.kubernetes\.(driver|executor)\.label\.spark-platform\.io\//,
  /^spark\.kubernetes\.executor\.disableConfigMap$/,
  /^spark\.kubernetes\.driver\.pod\.name$/,
  /^spark\.driver\.host$/,
  /^spark\.hadoop\.fs\.s3a\.endpoint$/,
  /^spark\.hadoop\.fs\.s3a\.aws\.credentials\.provider$/,
];
/**
 * A release's RPC authentication and encryption (lib/spark/authentication.ts): always
 * on, with the release's own secret, for the standalone daemons and drivers and for the
 * Connect server and its executors alike; an override could only weaken them.
 */
const RPC_SECURITY_CONF = [
  /^spark\.authenticate(\.|$)/,
  /^spark\.network\.crypto\./,
  /^spark\.network\.sasl\./,
  /^spark\.io\.encryption\./,
];
/**
 * A Connect release's authentication and where its server listens
 * (lib/spark/connectAuthentication.ts): the token is the release's own, and the server
 * binds loopback behind the TLS terminator; an override could only weaken them.
 */
const CONNECT_SECURITY_CONF = [
  /^spark\.connect\.authenticate\./,
  /^spark\.connect\.grpc\.binding\./,
];
const CREDENTIAL_LIKE = /(secret|password|access\.key|token|credential)/i;
/**
 * The standalone master's recovery settings come from `standalone.recovery` as the
 * master's own JVM options; in spark-defaults they would reach workers and drivers too.
 */
const MASTER_RECOVERY_CONF = /^spark\.deploy\.recovery/;

export function findIsolationIssues(
  config: PlatformConfig,
  rawValues: Readonly<Record<string, unknown>>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const releases = config.releases;
  const seenNames = new Map<string, ReleaseConfig>();

  for (const release of releases) {
    const first = seenNames.get(release.name);
    if (first) {
      issues.push({
        key: key(release, "name"),
        message: `duplicate release name ${release.name} (also releases[${first.index}])`,
        releases: [release.name],
      });
    } else {
      seenNames.set(release.name, release);
    }
  }
  if (issues.length > 0) return issues;

  for (const [i, a] of releases.entries()) {
    for (const b of releases.slice(i + 1)) {
      const pair = [a.name, b.name];
      const uses = (what: string) =>
        `${what} is already used by release ${a.name} (releases[${a.index}])`;

      if (a.metastore.database === b.metastore.database) {
        issues.push({
          key: key(b, "hiveMetastore.database"),
          message: `${uses(`database ${b.metastore.database}`)}; each metastore needs its own database`,
          releases: pair,
        });
      }
      if (a.metastore.role === b.metastore.role) {
        issues.push({
          key: key(b, "hiveMetastore.role"),
          message: `${uses(`PostgreSQL role ${b.metastore.role}`)}; each metastore needs its own role`,
          releases: pair,
        });
      }
      const prefixesA: [string, string][] = [
        ["historyServer.prefix", a.history.prefix],
        ["warehousePrefix", a.warehousePrefix],
      ];
      const prefixesB: [string, string][] = [
        ["historyServer.prefix", b.history.prefix],
        ["warehousePrefix", b.warehousePrefix],
      ];
      for (const [pathB, prefixB] of prefixesB) {
        for (const [pathA, prefixA] of prefixesA) {
          if (prefixesOverlap(prefixA, prefixB)) {
            issues.push({
              key: key(b, pathB),
              message: `prefix ${prefixB} overlaps ${pathA} ${prefixA} of release ${a.name} (releases[${a.index}]); prefixes must not be equal or contain one another`,
              releases: pair,
            });
          }
        }
      }
      if (a.namespace === b.namespace) {
        if (config.namespaceLayout === "perRelease") {
          issues.push({
            key: key(b, "namespace"),
            message: `namespace ${b.namespace} is already used by release ${a.name} (releases[${a.index}]); namespaceLayout perRelease gives each release its own`,
            releases: pair,
          });
        }
        if (a.names.serviceAccount === b.names.serviceAccount) {
          issues.push({
            key: key(b, "serviceAccountName"),
            message: `ServiceAccount ${b.names.serviceAccount} in namespace ${b.namespace} ${uses("").trim()}; each release needs its own`,
            releases: pair,
          });
        }
        const namesA = new Set(objectNames(a));
        const clash = objectNames(b).filter((n) => namesA.has(n));
        if (clash.length > 0) {
          issues.push({
            key: key(b, "name"),
            message: `Kubernetes object names ${clash.join(", ")} in namespace ${b.namespace} collide with release ${a.name} (releases[${a.index}])`,
            releases: pair,
          });
        }
      }
    }
  }

  for (const release of releases) {
    if (prefixesOverlap(release.history.prefix, release.warehousePrefix)) {
      issues.push({
        key: key(release, "warehousePrefix"),
        message: `warehouse prefix ${release.warehousePrefix} overlaps the event-log prefix ${release.history.prefix}`,
        releases: [release.name],
      });
    }
    if (release.metastore.role === config.postgres.adminUser) {
      issues.push({
        key: key(release, "hiveMetastore.role"),
        message: `must not be the PostgreSQL admin user ${config.postgres.adminUser}`,
        releases: [release.name],
      });
    }
    if (release.metastore.database === config.postgres.database) {
      issues.push({
        key: key(release, "hiveMetastore.database"),
        message: `must not be the admin database ${config.postgres.database}`,
        releases: [release.name],
      });
    }
    for (const confKey of Object.keys(release.sparkConf)) {
      if (MASTER_RECOVERY_CONF.test(confKey)) {
        issues.push({
          key: key(release, `sparkConf.${confKey}`),
          message:
            "is set from standalone.recovery, on the master only (enabled, storageClassName, size); configure it there",
          releases: [release.name],
        });
      } else if (RPC_SECURITY_CONF.some((pattern) => pattern.test(confKey))) {
        issues.push({
          key: key(release, `sparkConf.${confKey}`),
          message:
            "is set by the platform: a release always authenticates and encrypts its RPC with its own secret (docs/hardening.md), so it cannot be overridden",
          releases: [release.name],
        });
      } else if (
        release.mode === "connect" &&
        CONNECT_SECURITY_CONF.some((pattern) => pattern.test(confKey))
      ) {
        issues.push({
          key: key(release, `sparkConf.${confKey}`),
          message:
            "is set by the platform: a Connect release always requires its own token over TLS, its server bound to loopback behind the TLS terminator (docs/hardening.md), so it cannot be overridden",
          releases: [release.name],
        });
      } else if (PLATFORM_OWNED_SPARK_CONF.some((pattern) => pattern.test(confKey))) {
        issues.push({
          key: key(release, `sparkConf.${confKey}`),
          message: "is set by the platform to keep releases isolated and cannot be overridden",
          releases: [release.name],
        });
      } else if (CREDENTIAL_LIKE.test(confKey)) {
        issues.push({
          key: key(release, `sparkConf.${confKey}`),
          message:
            "looks like a credential; spark-defaults live in a ConfigMap, so credentials must not",
          releases: [release.name],
        });
      }
    }
  }

  issues.push(...findJobIssues(config, rawValues));
  return issues;
}

function findJobIssues(
  config: PlatformConfig,
  _rawValues: Readonly<Record<string, unknown>>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const byName = new Map(config.releases.map((r) => [r.name, r]));
  const seen = new Map<string, number>();
  config.jobs.forEach((job, index) => {
    const at = (path: string) => `spark-platform:jobs[${index}].${path}`;
    const previous = seen.get(job.id);
    if (previous !== undefined) {
      issues.push({
        key: at("id"),
        message: `duplicate job id ${job.id} (also jobs[${previous}])`,
        releases: [job.release],
      });
    } else {
      seen.set(job.id, index);
    }
    const release = byName.get(job.release);
    if (!release) {
      issues.push({
        key: at("release"),
        message: `job ${job.id} is routed to unknown release ${job.release} (known: ${[...byName.keys()].join(", ") || "none"})`,
        releases: [job.release],
      });
    } else if (release.decommissioned) {
      issues.push({
        key: at("release"),
        message: `job ${job.id} is routed to release ${job.release}, which is decommissioned; route it to an active release first`,
        releases: [job.release],
      });
    }
  });
  return issues;
}

/** Every Kubernetes object name a release creates in its namespace. */
export function objectNames(release: ReleaseConfig): string[] {
  const { networkPolicy: _networkPolicy, release: _release, ...names } = release.names;
  const policies = [
    "default-deny",
    "allow-dns",
    "allow-intra-release",
    "allow-clients",
    "allow-postgres",
    "allow-object-store",
    "allow-kube-api",
  ] as const;
  return [...Object.values(names), ...policies.map((p) => release.names.networkPolicy(p))];
}
