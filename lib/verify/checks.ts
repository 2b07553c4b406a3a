import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IService } from "kubernetes-models/v1/Service";
import type { PodModel } from "../kube/analysis/pods";
import { NetworkModel, selectorMatches } from "../kube/analysis/networkPolicy";
import { RELEASE_LABEL, manifestId, type KubeManifest } from "../kube/objects";
import { PORTS } from "../naming/names";
import { normalizePrefix, prefixesOverlap } from "../naming/prefixes";
import { parseJdbcUrl, systemProperties } from "./conf";
import {
  componentOf,
  configFiles,
  findObject,
  mountedConfigMaps,
  namespaceOf,
  ofKind,
  referencedSecrets,
  releaseMode,
  releaseOf,
  releaseOfManifest,
  releaseSparkConf,
  releasesIn,
  startupStrings,
  type ClusterObjects,
} from "./objects";
import { egressDestinations } from "./egress";
import { releaseWriteConfinement } from "./writeConfinement";

export type CheckName =
  | "service-isolation"
  | "metastore-isolation"
  | "secret-references"
  | "history-isolation"
  | "rbac-separation"
  | "network-isolation"
  | "namespace-layout"
  | "disruption-budgets"
  | "network-egress";

/** One row of the verifier's table. */
export interface CheckResult {
  readonly check: CheckName;
  readonly subject: string;
  readonly pass: boolean;
  readonly detail: string;
  /** A passing row the operator should still act on (e.g. an egress rule open to any address). */
  readonly warning?: string;
}

const row = (check: CheckName, subject: string, problems: string[], ok: string): CheckResult => ({
  check,
  subject,
  pass: problems.length === 0,
  detail: problems.length === 0 ? ok : problems.join("; "),
});

const releaseText = (release: string | undefined) => release ?? "<no release label>";

// ---------------------------------------------------------------------------------------
// Services

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

// ---------------------------------------------------------------------------------------
// Secrets

function secretProblems(objects: ClusterObjects, pod: PodModel): string[] {
  const release = releaseOf(pod.labels);
  return referencedSecrets(pod).flatMap((name) => {
    const secret = findObject(objects, "Secret", pod.namespace, name);
    if (!secret) return [`references Secret ${pod.namespace}/${name}, which does not exist`];
    const owner = releaseOfManifest(secret);
    return owner === release
      ? []
      : [`references Secret ${pod.namespace}/${name} of release ${releaseText(owner)}`];
  });
}

const isMetastorePod = (objects: ClusterObjects, pod: PodModel) =>
  ["metastore", "schema-init"].includes(componentOf(pod) ?? "") ||
  mountedConfigMaps(objects, pod).some((m) => m.configMap?.data?.["hive-site.xml"] !== undefined);

/** Every pod that is not a metastore pod references only its own release's Secrets. */
export function secretReferences(objects: ClusterObjects): CheckResult[] {
  return objects.pods
    .filter((pod) => !isMetastorePod(objects, pod))
    .map((pod) => {
      const problems = secretProblems(objects, pod);
      if (!releaseOf(pod.labels)) problems.unshift(`pod has no ${RELEASE_LABEL} label`);
      const secrets = referencedSecrets(pod);
      return row(
        "secret-references",
        pod.origin,
        problems,
        secrets.length ? `own Secrets only: ${secrets.join(", ")}` : "references no Secret",
      );
    });
}

// ---------------------------------------------------------------------------------------
// Metastores

interface MetastoreWiring {
  readonly pod: PodModel;
  readonly release: string | undefined;
  readonly url?: string;
  readonly database?: string;
  readonly user?: string;
  readonly problems: string[];
}

const JDBC_URL = "javax.jdo.option.ConnectionURL";
const JDBC_USER = "javax.jdo.option.ConnectionUserName";

/** Which database a metastore pod really connects to: mounted hive-site.xml, overridden by -D flags. */
function metastoreWiring(objects: ClusterObjects, pod: PodModel): MetastoreWiring {
  const release = releaseOf(pod.labels);
  const problems: string[] = [];
  if (!release) problems.push(`pod has no ${RELEASE_LABEL} label`);
  let url: string | undefined;
  let user: string | undefined;
  for (const mount of mountedConfigMaps(objects, pod)) {
    if (!mount.configMap) {
      problems.push(`mounts ConfigMap ${pod.namespace}/${mount.name}, which does not exist`);
      continue;
    }
    const site = configFiles(mount.configMap)["hive-site.xml"];
    if (!site) continue;
    const owner = releaseOfManifest(mount.configMap);
    if (owner !== release) {
      problems.push(
        `mounts hive-site.xml from ConfigMap ${pod.namespace}/${mount.name} of release ${releaseText(owner)}`,
      );
    }
    url = site[JDBC_URL] ?? url;
    user = site[JDBC_USER] ?? user;
  }
  const siteUrl = url;
  for (const text of startupStrings(pod)) {
    const flags = systemProperties(text);
    url = flags[JDBC_URL] ?? url;
    user = flags[JDBC_USER] ?? user;
  }
  // The flag wins at run time; a hive-site that says otherwise misleads whoever reads it.
  if (siteUrl && url && siteUrl !== url) {
    problems.push(`hive-site.xml names ${siteUrl} but its start-up flags connect to ${url}`);
  }
  problems.push(...secretProblems(objects, pod));
  const target = url ? parseJdbcUrl(url) : undefined;
  if (!url) problems.push(`no ${JDBC_URL} in its mounted hive-site.xml or start-up flags`);
  else if (!target) problems.push(`cannot read a PostgreSQL database from ${url}`);
  return {
    pod,
    release,
    problems,
    ...(url ? { url } : {}),
    ...(target ? { database: target.database } : {}),
    ...(user ? { user } : {}),
  };
}

/**
 * Each metastore (Deployment and schema-init Job) connects to a database and as a user
 * no other release's metastore uses, reads a hive-site.xml of its own release, and takes
 * credentials only from its own release's Secrets.
 */
export function metastoreIsolation(objects: ClusterObjects): CheckResult[] {
  const wirings = objects.pods
    .filter((pod) => isMetastorePod(objects, pod))
    .map((pod) => metastoreWiring(objects, pod));
  return wirings.map((w) => {
    const problems = [...w.problems];
    for (const other of wirings) {
      if (other.release === w.release) continue;
      if (w.database && other.database === w.database) {
        problems.push(
          `database ${w.database} is also used by ${other.pod.origin} (release ${releaseText(other.release)})`,
        );
      }
      if (w.user && other.user === w.user) {
        problems.push(
          `database user ${w.user} is also used by ${other.pod.origin} (release ${releaseText(other.release)})`,
        );
      }
    }
    return row(
      "metastore-isolation",
      w.pod.origin,
      problems,
      `database ${w.database} as ${w.user ?? "<unset user>"} (${w.url})`,
    );
  });
}

// ---------------------------------------------------------------------------------------
// History servers and event-log writers

const LOG_DIRECTORY = "spark.history.fs.logDirectory";
const EVENT_LOG_DIR = "spark.eventLog.dir";

interface PrefixUse {
  readonly pod: PodModel;
  readonly release: string | undefined;
  readonly role: "reads" | "writes";
  readonly prefix?: string;
  readonly problems: string[];
}

/** The prefix a pod reads (history server) or writes (Spark daemons), from its mounted conf and flags. */
function prefixUse(objects: ClusterObjects, pod: PodModel): PrefixUse | undefined {
  const release = releaseOf(pod.labels);
  const problems: string[] = [];
  let read: string | undefined;
  let written: string | undefined;
  for (const mount of mountedConfigMaps(objects, pod)) {
    const conf = mount.configMap ? configFiles(mount.configMap)["spark-defaults.conf"] : undefined;
    if (!conf || !mount.configMap) continue;
    const owner = releaseOfManifest(mount.configMap);
    const uses = conf[LOG_DIRECTORY] ?? conf[EVENT_LOG_DIR];
    if (uses !== undefined && owner !== release) {
      problems.push(
        `mounts spark-defaults.conf from ConfigMap ${pod.namespace}/${mount.name} of release ${releaseText(owner)}`,
      );
    }
    read = conf[LOG_DIRECTORY] ?? read;
    written = conf[EVENT_LOG_DIR] ?? written;
  }
  for (const text of startupStrings(pod)) {
    const flags = systemProperties(text);
    read = flags[LOG_DIRECTORY] ?? read;
    written = flags[EVENT_LOG_DIR] ?? written;
    const conf = /^spark\.eventLog\.dir=(\S+)$/.exec(text);
    if (conf) written = conf[1];
  }
  const isHistory = componentOf(pod) === "history" || read !== undefined;
  if (isHistory) {
    if (!read) problems.push(`history server with no ${LOG_DIRECTORY}`);
    return { pod, release, role: "reads", problems, ...(read ? { prefix: read } : {}) };
  }
  return written ? { pod, release, role: "writes", problems, prefix: written } : undefined;
}

/**
 * Each history server reads exactly the prefix its release's Spark pods write to, and no
 * prefix read or written by one release equals or contains another release's.
 */
export function historyIsolation(objects: ClusterObjects): CheckResult[] {
  const uses = objects.pods
    .map((pod) => prefixUse(objects, pod))
    .filter((u): u is PrefixUse => u !== undefined);
  return uses.map((use) => {
    const problems = [...use.problems];
    if (!use.release) problems.push(`pod has no ${RELEASE_LABEL} label`);
    if (use.prefix) {
      if (use.role === "reads") {
        const writers = uses.filter((u) => u.role === "writes" && u.release === use.release);
        for (const writer of writers) {
          if (writer.prefix && normalizePrefix(writer.prefix) !== normalizePrefix(use.prefix)) {
            problems.push(
              `reads ${use.prefix} but ${writer.pod.origin} of the same release writes ${writer.prefix}`,
            );
          }
        }
      }
      for (const other of uses) {
        if (other.release === use.release || !other.prefix) continue;
        if (prefixesOverlap(use.prefix, other.prefix)) {
          problems.push(
            `${use.prefix} overlaps ${other.prefix}, which ${other.pod.origin} (release ${releaseText(other.release)}) ${other.role}`,
          );
        }
      }
    }
    return row("history-isolation", use.pod.origin, problems, `${use.role} ${use.prefix}`);
  });
}

// ---------------------------------------------------------------------------------------
// RBAC

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

type Binding = KubeManifest & { roleRef?: { kind: string; name: string }; subjects?: Subject[] };
type RoleManifest = KubeManifest & { rules?: IRole["rules"] };

function boundRole(objects: ClusterObjects, binding: Binding): RoleManifest | undefined {
  const ref = binding.roleRef;
  if (!ref) return undefined;
  if (ref.kind === "ClusterRole") {
    return objects.manifests.find((m) => m.kind === "ClusterRole" && m.metadata?.name === ref.name);
  }
  return findObject<RoleManifest>(objects, "Role", namespaceOf(binding), ref.name);
}

/** Whether a Role's rules let its holder create pods. */
export function allowsPodCreate(role: Pick<RoleManifest, "rules">): boolean {
  return (role.rules ?? []).some(
    (rule) =>
      (rule.apiGroups ?? []).some((g) => g === "" || g === "*") &&
      (rule.resources ?? []).some((r) => r === "pods" || r === "*") &&
      rule.verbs.some((v) => v === "create" || v === "*"),
  );
}

/** Verbs a Role's rules allow on pods (core group), whatever they are. */
export function podVerbs(role: Pick<RoleManifest, "rules">): string[] {
  const verbs = (role.rules ?? [])
    .filter(
      (rule) =>
        (rule.apiGroups ?? []).some((g) => g === "" || g === "*") &&
        (rule.resources ?? []).some((r) => r === "pods" || r === "*" || r.startsWith("pods/")),
    )
    .flatMap((rule) => rule.verbs);
  return [...new Set(verbs)];
}

function serviceAccountRelease(
  objects: ClusterObjects,
  namespace: string,
  name: string,
): { found: boolean; release?: string } {
  const account = findObject(objects, "ServiceAccount", namespace, name);
  if (!account) return { found: false };
  const release = releaseOfManifest(account);
  return release ? { found: true, release } : { found: true };
}

/**
 * The ServiceAccount a pod really runs as: its own serviceAccountName, or for Spark
 * executor templates the account Spark puts on executors (spark-defaults.conf wins over
 * the template), or `default`.
 */
export function effectiveServiceAccount(objects: ClusterObjects, pod: PodModel): string {
  if (pod.origin.includes("#")) {
    const release = releaseOf(pod.labels);
    const fromConf = release
      ? releaseSparkConf(objects, release)[
          "spark.kubernetes.authenticate.executor.serviceAccountName"
        ]
      : undefined;
    if (fromConf) return fromConf;
  }
  return pod.spec.serviceAccountName ?? pod.spec.serviceAccount ?? "default";
}

/** Each pod runs as a ServiceAccount of its own release. */
export function podServiceAccounts(objects: ClusterObjects): CheckResult[] {
  return objects.pods.map((pod) => {
    const release = releaseOf(pod.labels);
    const account = effectiveServiceAccount(objects, pod);
    const owner = serviceAccountRelease(objects, pod.namespace, account);
    const problems: string[] = [];
    if (!release) problems.push(`pod has no ${RELEASE_LABEL} label`);
    if (!owner.found) {
      problems.push(`runs as ServiceAccount ${pod.namespace}/${account}, which does not exist`);
    } else if (owner.release !== release) {
      problems.push(
        `runs as ServiceAccount ${pod.namespace}/${account} of release ${releaseText(owner.release)}`,
      );
    }
    return row("rbac-separation", pod.origin, problems, `runs as ${pod.namespace}/${account}`);
  });
}

/** RoleBindings bind only their own release's ServiceAccounts. */
export function bindingSubjects(objects: ClusterObjects): CheckResult[] {
  return ofKind<Binding>(objects, "RoleBinding", "ClusterRoleBinding").map((binding) => {
    const release = releaseOfManifest(binding);
    const problems: string[] = [];
    if (!release) problems.push(`no ${RELEASE_LABEL} label`);
    for (const subject of binding.subjects ?? []) {
      if (subject.kind !== "ServiceAccount") {
        problems.push(`binds ${subject.kind} ${subject.name}, not a ServiceAccount of the release`);
        continue;
      }
      const namespace = subject.namespace ?? namespaceOf(binding);
      const owner = serviceAccountRelease(objects, namespace, subject.name);
      if (!owner.found) {
        problems.push(`binds ServiceAccount ${namespace}/${subject.name}, which does not exist`);
      } else if (owner.release !== release) {
        problems.push(
          `binds ServiceAccount ${namespace}/${subject.name} of release ${releaseText(owner.release)}`,
        );
      }
    }
    const subjects = (binding.subjects ?? []).map(
      (s) => `${s.namespace ?? namespaceOf(binding)}/${s.name}`,
    );
    return row("rbac-separation", manifestId(binding), problems, `binds ${subjects.join(", ")}`);
  });
}

/** Standalone releases hold no right on pods, least of all to create them (they never need the API). */
export function standalonePodCreate(objects: ClusterObjects): CheckResult[] {
  return releasesIn(objects)
    .filter((release) => releaseMode(objects, release) === "standalone")
    .map((release) => {
      const accounts = ofKind(objects, "ServiceAccount")
        .filter((a) => releaseOfManifest(a) === release)
        .map((a) => `${namespaceOf(a)}/${a.metadata?.name ?? ""}`);
      const problems: string[] = [];
      for (const binding of ofKind<Binding>(objects, "RoleBinding", "ClusterRoleBinding")) {
        const bound = (binding.subjects ?? []).filter(
          (s) =>
            s.kind === "ServiceAccount" &&
            accounts.includes(`${s.namespace ?? namespaceOf(binding)}/${s.name}`),
        );
        const role = boundRole(objects, binding);
        if (bound.length > 0 && role && allowsPodCreate(role)) {
          problems.push(
            `${manifestId(binding)} grants ${manifestId(role)} (create pods) to ${bound.map((s) => s.name).join(", ")}`,
          );
        } else if (bound.length > 0 && role && podVerbs(role).length > 0) {
          problems.push(
            `${manifestId(binding)} grants ${manifestId(role)} (${podVerbs(role).join(", ")} on pods) to ${bound.map((s) => s.name).join(", ")}: a standalone release does nothing with pods`,
          );
        }
      }
      return row(
        "rbac-separation",
        `standalone release ${release}`,
        problems,
        `no rights on pods for ${accounts.join(", ") || "its accounts"}`,
      );
    });
}

export function rbacSeparation(objects: ClusterObjects): CheckResult[] {
  return [
    ...bindingSubjects(objects),
    ...standalonePodCreate(objects),
    ...releaseWriteConfinement(objects),
    ...podServiceAccounts(objects),
  ];
}

// ---------------------------------------------------------------------------------------
// Disruption budgets

/** What a PodDisruptionBudget's spec says, as the disruption controller reads it. */
export interface DisruptionBudgetSpec {
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
}

/** `2` -> 2, `"50%"` of 3 replicas -> 2 (the controller rounds percentages up). */
function scaled(value: number | string, replicas: number): number {
  if (typeof value === "number") return value;
  const percent = /^(\d+)%$/.exec(value);
  return percent ? Math.ceil((Number(percent[1]) * replicas) / 100) : Number(value);
}

/**
 * Voluntary evictions a budget allows when all `replicas` pods are healthy; undefined when
 * it sets neither field. A budget allowing 0 blocks every node drain (the eviction API
 * refuses forever), which is what `minAvailable: 1` on a single replica does.
 */
export function allowedDisruptions(
  spec: DisruptionBudgetSpec,
  replicas: number,
): number | undefined {
  if (spec.maxUnavailable !== undefined) {
    return Math.max(0, Math.min(replicas, scaled(spec.maxUnavailable, replicas)));
  }
  if (spec.minAvailable !== undefined) {
    return Math.max(0, replicas - scaled(spec.minAvailable, replicas));
  }
  return undefined;
}

interface BudgetManifest extends KubeManifest {
  spec?: DisruptionBudgetSpec & { selector?: Parameters<typeof selectorMatches>[0] };
}

interface ReplicatedWorkload extends KubeManifest {
  spec?: { replicas?: number; template?: { metadata?: { labels?: Record<string, string> } } };
}

/**
 * Every PodDisruptionBudget selects a Deployment or StatefulSet and allows at least one
 * disruption at its replica count, so a node drain can always proceed (one pod at a time
 * where a budget exists); single-instance daemons need none.
 */
export function disruptionBudgets(objects: ClusterObjects): CheckResult[] {
  const workloads = ofKind<ReplicatedWorkload>(objects, "Deployment", "StatefulSet");
  return ofKind<BudgetManifest>(objects, "PodDisruptionBudget").map((pdb) => {
    const selected = workloads.filter(
      (w) =>
        namespaceOf(w) === namespaceOf(pdb) &&
        selectorMatches(pdb.spec?.selector, w.spec?.template?.metadata?.labels ?? {}),
    );
    const replicas = selected.reduce((sum, w) => sum + (w.spec?.replicas ?? 1), 0);
    const allowed = allowedDisruptions(pdb.spec ?? {}, replicas);
    const problems: string[] = [];
    if (selected.length === 0) problems.push("selects no Deployment or StatefulSet");
    else if (allowed === undefined) problems.push("sets neither minAvailable nor maxUnavailable");
    else if (allowed < 1) {
      problems.push(
        `allows 0 disruptions of ${replicas} replica(s) (${selected.map(manifestId).join(", ")}): blocks every node drain`,
      );
    }
    return row(
      "disruption-budgets",
      manifestId(pdb),
      problems,
      `allows ${allowed} of ${replicas} replicas (${selected.map(manifestId).join(", ")}) to be evicted at once`,
    );
  });
}

// ---------------------------------------------------------------------------------------
// Network

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

// ---------------------------------------------------------------------------------------
// Namespaces

export type NamespaceLayout = "shared" | "perRelease";

const ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

/**
 * shared: every release in one namespace; perRelease: each release alone in its own.
 * Without an expected layout it is inferred (one namespace in use means shared). Every
 * namespace in use carries a Pod Security enforce label.
 */
export function namespaceLayout(
  objects: ClusterObjects,
  expected?: NamespaceLayout,
): CheckResult[] {
  const namespacesOf = new Map<string, Set<string>>();
  const releasesOf = new Map<string, Set<string>>();
  const note = (release: string, namespace: string) => {
    namespacesOf.set(release, (namespacesOf.get(release) ?? new Set()).add(namespace));
    releasesOf.set(namespace, (releasesOf.get(namespace) ?? new Set()).add(release));
  };
  for (const m of objects.manifests) {
    const release = releaseOfManifest(m);
    if (release && m.kind !== "Namespace" && m.metadata?.namespace)
      note(release, m.metadata.namespace);
  }
  for (const pod of objects.pods) {
    const release = releaseOf(pod.labels);
    if (release) note(release, pod.namespace);
  }
  const used = [...releasesOf.keys()].sort();
  const layout = expected ?? (used.length <= 1 ? "shared" : "perRelease");
  const results: CheckResult[] = [];
  for (const release of [...namespacesOf.keys()].sort()) {
    const namespaces = [...namespacesOf.get(release)!].sort();
    const problems: string[] = [];
    if (namespaces.length > 1)
      problems.push(`objects spread over namespaces ${namespaces.join(", ")}`);
    if (layout === "shared" && used.length > 1) {
      problems.push(`layout shared expects one namespace, releases use ${used.join(", ")}`);
    }
    if (layout === "perRelease") {
      for (const ns of namespaces) {
        const others = [...releasesOf.get(ns)!].filter((r) => r !== release).sort();
        if (others.length) problems.push(`namespace ${ns} also holds ${others.join(", ")}`);
      }
    }
    results.push(
      row(
        "namespace-layout",
        `release ${release}`,
        problems,
        `${layout}: in ${namespaces.join(", ")}`,
      ),
    );
  }
  for (const ns of used) {
    const namespace = objects.manifests.find(
      (m) => m.kind === "Namespace" && m.metadata?.name === ns,
    );
    const problems: string[] = [];
    const enforce = namespace?.metadata?.labels?.[ENFORCE_LABEL];
    if (!namespace) problems.push(`Namespace ${ns} not found`);
    else if (!enforce) problems.push(`Namespace ${ns} has no ${ENFORCE_LABEL} label`);
    results.push(
      row("namespace-layout", `Namespace/${ns}`, problems, `pod security enforce=${enforce}`),
    );
  }
  return results;
}

// ---------------------------------------------------------------------------------------

export interface VerifyOptions {
  readonly layout?: NamespaceLayout;
}

/** Every check, in the order the table prints them. */
export function verifyObjects(objects: ClusterObjects, options: VerifyOptions = {}): CheckResult[] {
  return [
    ...serviceIsolation(objects),
    ...metastoreIsolation(objects),
    ...secretReferences(objects),
    ...historyIsolation(objects),
    ...rbacSeparation(objects),
    ...networkIsolation(objects),
    ...egressDestinations(objects),
    ...namespaceLayout(objects, options.layout),
    ...disruptionBudgets(objects),
  ];
}

export function failures(results: readonly CheckResult[]): CheckResult[] {
  return results.filter((r) => !r.pass);
}
