import { podModels, type PodModel } from "../lib/kube/analysis/pods";
import {
  isKubernetesObjectType,
  NOTEBOOK_LABEL,
  RELEASE_LABEL,
  manifestId,
  type KubeManifest,
} from "../lib/kube/objects";
import { hardeningViolations, restrictedViolations } from "../lib/kube/podSecurity";
import { claimReferences } from "../lib/verify/claims";
import { clientAdmissionGaps, openClientPeers } from "../lib/verify/clients";
import { disruptionBudgets } from "../lib/verify/disruptionBudgets";
import { historyIsolation, prefixUses } from "../lib/verify/history";
import { metricsAccess } from "../lib/verify/metrics";
import {
  clusterObjects,
  configFiles,
  containersOf,
  isNotebookObject,
  namespaceOf,
  releaseOfManifest,
  type ConfigMapManifest,
} from "../lib/verify/objects";
import { podServiceAccounts, standalonePodCreate } from "../lib/verify/rbac";
import { failures, type CheckResult } from "../lib/verify/result";
import { serviceIsolation } from "../lib/verify/services";
import { releaseWriteConfinement } from "../lib/verify/writeConfinement";
import { rpcAuthentication } from "../lib/verify/rpcAuthentication";
import { connectAuthentication } from "../lib/verify/connectAuthentication";
import { notebookAccess } from "../lib/verify/notebooks";

/**
 * The platform's isolation guardrails as pure functions over a stack's resources, so the
 * same rules run in `pulumi preview --policy-pack policy` and in unit tests against
 * rendered stacks. A resource is `{type, name, props}`: the type token, the Pulumi name
 * and its inputs (what `tools/render/evaluate.ts` records, what a policy pack receives).
 */
export interface StackResource {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
}

export interface StackRule {
  readonly name: string;
  readonly description: string;
  /** One message per violation, naming the objects involved; empty when the stack complies. */
  readonly check: (resources: readonly StackResource[]) => string[];
}

// @pulumi/postgresql, or the platform's dynamic provider where that plugin is unavailable.
const DATABASE_TYPES = [
  "postgresql:index/database:Database",
  "pulumi-nodejs:dynamic/spark-platform:PostgresDatabase",
];
const ROLE_TYPES = [
  "postgresql:index/role:Role",
  "pulumi-nodejs:dynamic/spark-platform:PostgresRole",
];

const isKubernetesObject = (r: StackResource) => isKubernetesObjectType(r.type);

/** The Kubernetes objects of a stack, as manifests. */
export function manifestsOf(resources: readonly StackResource[]): KubeManifest[] {
  return resources.filter(isKubernetesObject).map((r) => r.props as unknown as KubeManifest);
}

const messages = (results: readonly CheckResult[]) =>
  failures(results).map((r) => `${r.subject}: ${r.detail}`);

function duplicates<T>(items: readonly T[], key: (item: T) => string | undefined): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

const str = (value: unknown) => (typeof value === "string" ? value : undefined);

/** Each metastore has its own PostgreSQL database and login role, shared with no other. */
export const metastoreOwnDatabase: StackRule = {
  name: "metastore-own-database",
  description: "Each metastore has its own PostgreSQL database and its own role.",
  check(resources) {
    const databases = resources.filter((r) => DATABASE_TYPES.includes(r.type));
    const roles = resources.filter((r) => ROLE_TYPES.includes(r.type));
    const problems: string[] = [];
    for (const group of duplicates(databases, (d) => str(d.props["name"]))) {
      problems.push(
        `Databases ${group.map((d) => d.name).join(", ")} all create database "${str(group[0]!.props["name"])}"`,
      );
    }
    for (const group of duplicates(databases, (d) => str(d.props["owner"]))) {
      problems.push(
        `Databases ${group.map((d) => d.name).join(", ")} share the owner role "${str(group[0]!.props["owner"])}"`,
      );
    }
    for (const group of duplicates(roles, (r) => str(r.props["name"]))) {
      problems.push(
        `Roles ${group.map((r) => r.name).join(", ")} all create role "${str(group[0]!.props["name"])}"`,
      );
    }
    return problems;
  },
};

/**
 * Each history server reads its own release's event-log prefix and no prefix of one release
 * equals or contains another's: the verifier's history-isolation check (what each pod reads
 * or writes, from the ConfigMaps it mounts and its -D flags), plus one history server per
 * release.
 */
export const historyOwnPrefix: StackRule = {
  name: "history-own-prefix",
  description:
    "Each release has one history server, reading the prefix its Spark pods write; no prefix (read or written) of one release equals or contains another release's.",
  check(resources) {
    const objects = clusterObjects(manifestsOf(resources));
    const readers = prefixUses(objects).filter((u) => u.role === "reads");
    const problems = messages(historyIsolation(objects));
    for (const group of duplicates(readers, (u) => u.release)) {
      problems.push(
        `${group.map((u) => u.pod.origin).join(", ")}: ${group.length} history servers for release ${group[0]!.release}`,
      );
    }
    return problems;
  },
};

/** Each release has its own ServiceAccount(s), and only its own pods run as them. */
export const releaseOwnServiceAccount: StackRule = {
  name: "release-own-service-account",
  description: "Each release has its own ServiceAccount and only that release's pods use it.",
  check(resources) {
    const objects = clusterObjects(manifestsOf(resources));
    const problems = messages(podServiceAccounts(objects));
    for (const group of duplicates(
      objects.manifests.filter((m) => m.kind === "ServiceAccount"),
      (a) => `${namespaceOf(a)}/${a.metadata?.name ?? ""}`,
    )) {
      problems.push(`${group.map(manifestId).join(", ")}: one ServiceAccount declared twice`);
    }
    return problems;
  },
};

/**
 * Every Kubernetes object of a release carries its release label and `<release>-` name
 * prefix. A notebook's objects are a client's, never a release's (notebook-is-a-granted-
 * client checks them): they carry the notebook label and no release label.
 */
export const releasePrefixAndLabel: StackRule = {
  name: "release-prefix-and-label",
  description: `Every Kubernetes object of a release is named "<release>-..." and labelled ${RELEASE_LABEL}; Namespaces belong to the stack and notebooks' objects to their notebook (${NOTEBOOK_LABEL}), and are exempt.`,
  check(resources) {
    const problems: string[] = [];
    for (const m of manifestsOf(resources)) {
      if (m.kind === "Namespace" || isNotebookObject(m.metadata?.labels)) continue;
      const release = releaseOfManifest(m);
      if (!release) problems.push(`${manifestId(m)}: no ${RELEASE_LABEL} label`);
      else if (!m.metadata?.name?.startsWith(`${release}-`)) {
        problems.push(`${manifestId(m)}: name lacks the release prefix "${release}-"`);
      }
    }
    return problems;
  },
};

/** A pod mounts only its own release's PersistentVolumeClaims (the master's recovery state). */
export const releaseOwnClaims: StackRule = {
  name: "release-own-claims",
  description:
    "Every pod template mounts only PersistentVolumeClaims of its own release that the stack declares.",
  check: (resources) => messages(claimReferences(clusterObjects(manifestsOf(resources)))),
};

/** Services never collide across releases and select by release. */
export const servicesIsolated: StackRule = {
  name: "services-isolated",
  description:
    "No two Services share a namespace and name; every selector pins the release label and matches only that release's pods.",
  check: (resources) => messages(serviceIsolation(clusterObjects(manifestsOf(resources)))),
};

const CREDENTIAL_NAME = /(PASSWORD|PASSWD|SECRET|ACCESS_?KEY|TOKEN|CREDENTIAL)/i;
/** Values that are references to a credential, not the credential itself. */
const REFERENCE = /^(\$\{env\.[A-Za-z_][A-Za-z0-9_]*\}|\$\([A-Za-z_][A-Za-z0-9_]*\)|)$/;
/** Credentials inside a value, whatever the key: userinfo in URLs, key material, AWS key ids. */
const EMBEDDED_CREDENTIAL = [
  /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i,
  // A parameter with a literal value; not code that appends one (`";token=" + token`).
  /[?&;](password|secret|token)=(?!["'{$])[^&;\s]+/i,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /\[secret\]/,
];

/** A key named like a credential whose value is not a reference (`${env.X}`, `$(X)`) to one. */
function credentialLooking(key: string, value: string): boolean {
  // Spark's own way to say "take this env var from a Secret": the value names a Secret.
  if (/\.secretKeyRef\./.test(key) || /\.secrets\./.test(key)) return false;
  const looksLikeCredential =
    CREDENTIAL_NAME.test(key.replace(/[.-]/g, "_")) &&
    !/(provider|file|path|enabled|class|type|ref|name|env)$/i.test(key);
  return looksLikeCredential && !REFERENCE.test(value.trim());
}

/** Credential-looking entries of one ConfigMap, as messages. */
export function configMapCredentials(configMap: ConfigMapManifest): string[] {
  const id = manifestId(configMap);
  const problems: string[] = [];
  const data = { ...(configMap.data ?? {}) };
  const files = configFiles(configMap);
  for (const [key, text] of Object.entries(data)) {
    if (files[key]) {
      for (const [property, value] of Object.entries(files[key]!)) {
        if (credentialLooking(property, value)) {
          problems.push(`${id}: ${key} sets ${property} to a literal credential`);
        }
      }
    } else if (credentialLooking(key, text)) {
      problems.push(`${id}: data key ${key} holds a literal credential`);
    }
    const embedded = EMBEDDED_CREDENTIAL.find((pattern) => pattern.test(text));
    if (embedded) problems.push(`${id}: ${key} embeds a credential (matches ${embedded.source})`);
  }
  return problems;
}

/** `JUPYTER_TOKEN_FILE=/etc/...`: a variable that names where a credential is, not one. */
const pointsToFile = (name: string, value: string) =>
  /_(FILE|PATH|DIR)$/.test(name) && value.startsWith("/");

function envLiteralCredentials(pod: PodModel): string[] {
  return containersOf(pod).flatMap((c) =>
    (c.env ?? [])
      .filter(
        (e) =>
          e.value !== undefined &&
          CREDENTIAL_NAME.test(e.name) &&
          !REFERENCE.test(e.value) &&
          !pointsToFile(e.name, e.value),
      )
      .map((e) => `${pod.origin}: container ${c.name} sets ${e.name} as a literal value`),
  );
}

/** Credentials live only in Secrets: never in a ConfigMap, never as an env `value:` literal. */
export const noCredentialsInConfig: StackRule = {
  name: "no-credentials-in-config",
  description:
    "No ConfigMap holds anything credential-looking and no env var named like *PASSWORD*, *SECRET*, *ACCESS_KEY*, *TOKEN* has a literal value.",
  check(resources) {
    const manifests = manifestsOf(resources);
    return [
      ...manifests
        .filter((m) => m.kind === "ConfigMap")
        .flatMap((m) => configMapCredentials(m as ConfigMapManifest)),
      ...podModels(manifests).flatMap(envLiteralCredentials),
    ];
  },
};

/** Standalone releases get no pod-creation rights. */
export const standaloneNoPodCreate: StackRule = {
  name: "standalone-no-pod-create",
  description:
    "Roles bound to a standalone release's ServiceAccount allow nothing on pods (creating them least of all).",
  check: (resources) => messages(standalonePodCreate(clusterObjects(manifestsOf(resources)))),
};

/**
 * A release's account that may write pods, Services, ConfigMaps (or anything else) where
 * another release's objects live is confined to its own release's objects by a
 * ValidatingAdmissionPolicy: RBAC alone cannot scope a Role by label.
 */
export const releaseWritesConfined: StackRule = {
  name: "release-writes-confined",
  description:
    "Every release ServiceAccount with write rights in a namespace holding another release's objects is confined by a ValidatingAdmissionPolicy (Deny binding) to objects labelled with its own release.",
  check: (resources) => messages(releaseWriteConfinement(clusterObjects(manifestsOf(resources)))),
};

/**
 * Every pod template (workloads, Jobs, Spark executor templates) meets Pod Security
 * "restricted" whatever its namespace enforces (lib/kube/podSecurity.ts), plus the
 * platform's own read-only root filesystem and RuntimeDefault seccomp profile.
 */
export const podSecurity: StackRule = {
  name: "pod-security-restricted",
  description:
    'Every pod template meets Pod Security "restricted" (runAsNonRoot, allowPrivilegeEscalation false, capabilities drop ALL, seccomp RuntimeDefault, no host namespaces, ports or paths, ...) and has a read-only root filesystem.',
  check: (resources) =>
    podModels(manifestsOf(resources)).flatMap((pod) =>
      [...restrictedViolations(pod.spec), ...hardeningViolations(pod.spec)].map(
        (violation) => `${pod.origin}: ${violation}`,
      ),
    ),
};

/** No PodDisruptionBudget blocks node drains: each allows at least one eviction. */
export const disruptionBudgetsAllowDrains: StackRule = {
  name: "disruption-budgets-allow-drains",
  description:
    "Every PodDisruptionBudget selects a Deployment or StatefulSet and allows at least one disruption at its replica count (no minAvailable equal to the replicas, e.g. minAvailable 1 on one replica).",
  check: (resources) => messages(disruptionBudgets(clusterObjects(manifestsOf(resources)))),
};

/**
 * Client pods get in only from namespaces named in the NetworkPolicies: a peer with
 * `namespaceSelector: {}` or a podSelector-only peer admitting the client label would let
 * anyone who can label a pod (in any namespace, or in the release's) reach the release.
 */
export const clientPeersNameNamespaces: StackRule = {
  name: "client-peers-name-namespaces",
  description:
    "No NetworkPolicy peer of a release selects every namespace (namespaceSelector: {}), and every peer admitting spark-platform.io/client-of names its namespaces (kubernetes.io/metadata.name).",
  check: (resources) => messages(openClientPeers(clusterObjects(manifestsOf(resources)))),
};

/**
 * A release that admits client pods has a ValidatingAdmissionPolicy (Deny binding) that
 * refuses its client label outside the granted namespaces, and under ungranted
 * ServiceAccounts in a namespace holding the release itself.
 */
export const clientPodsAdmittedWhereGranted: StackRule = {
  name: "client-pods-admitted-where-granted",
  description:
    "Every release whose NetworkPolicies admit client pods has an admission policy refusing spark-platform.io/client-of=<release> on pods (CREATE and UPDATE) outside the granted namespaces, tried on sample pods.",
  check: (resources) => messages(clientAdmissionGaps(clusterObjects(manifestsOf(resources)))),
};

/**
 * With monitoring on, each release admits its UI ports (and nothing else) from the one
 * monitoring namespace only: a namespace named by `kubernetes.io/metadata.name`, the same
 * for every release, holding no release and no clients.
 */
export const metricsFromMonitoringOnly: StackRule = {
  name: "metrics-from-monitoring-only",
  description:
    "Every release's allow-metrics NetworkPolicy admits only its pods' http-ui ports, only from one namespace named by kubernetes.io/metadata.name, the same for every release, holding no release's pods and granted to no client.",
  check: (resources) => messages(metricsAccess(clusterObjects(manifestsOf(resources)))),
};

/**
 * A standalone release's RPC is authenticated with its own secret and encrypted: anyone
 * the NetworkPolicies admit still cannot register an application or a worker without it.
 */
export const standaloneRpcAuthenticated: StackRule = {
  name: "standalone-rpc-authenticated",
  description:
    "Every standalone release sets spark.authenticate, spark.network.crypto.enabled (saslFallback false) and spark.io.encryption.enabled in its spark-defaults, its master and workers take _SPARK_AUTH_SECRET from a Secret, and spark.authenticate.secret is in no ConfigMap, env value or command line.",
  check: (resources) => messages(rpcAuthentication(clusterObjects(manifestsOf(resources)))),
};

/**
 * A Connect release requires its own token, over TLS: the NetworkPolicies admit clients to
 * the Connect port, and only a client holding the token starts a session there.
 */
export const connectTokenOverTls: StackRule = {
  name: "connect-token-over-tls",
  description:
    "Every Connect release's server binds its gRPC port to 127.0.0.1, reads spark.connect.authenticate.token from a spark-defaults.conf in a Secret volume (its SPARK_CONF_DIR), and a TLS terminator in its pod serves the Connect port 15002 with a certificate from a Secret; the token is in no ConfigMap, env value or command line.",
  check: (resources) => messages(connectAuthentication(clusterObjects(manifestsOf(resources)))),
};

/**
 * A notebook is a granted client of one Connect release and nothing more, and its login
 * cannot be turned off: the verifier's notebook-access check.
 */
export const notebookIsAGrantedClient: StackRule = {
  name: "notebook-is-a-granted-client",
  description:
    "Every notebook pod carries the client label of a Connect release, reads only that release's client Secret and its own token Secret, runs under no release's ServiceAccount, takes its Jupyter token from a Secret file (JUPYTER_TOKEN_FILE) with no argument or variable setting it otherwise, and its NetworkPolicy admits no ingress and egress to DNS and its release only.",
  check: (resources) => messages(notebookAccess(clusterObjects(manifestsOf(resources)))),
};

/** Every rule, each a mandatory policy of the pack. */
export const STACK_RULES: readonly StackRule[] = [
  metastoreOwnDatabase,
  historyOwnPrefix,
  releaseOwnServiceAccount,
  releasePrefixAndLabel,
  releaseOwnClaims,
  servicesIsolated,
  noCredentialsInConfig,
  standaloneRpcAuthenticated,
  connectTokenOverTls,
  notebookIsAGrantedClient,
  standaloneNoPodCreate,
  releaseWritesConfined,
  clientPeersNameNamespaces,
  clientPodsAdmittedWhereGranted,
  metricsFromMonitoringOnly,
  podSecurity,
  disruptionBudgetsAllowDrains,
];
