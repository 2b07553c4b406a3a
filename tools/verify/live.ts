import { RELEASE_LABEL, type KubeManifest } from "../../lib/kube/objects";

/** Runs `kubectl` with the given arguments and returns its standard output. */
export type KubectlRunner = (args: readonly string[]) => Promise<string>;

/** Namespaced kinds the checks read, fully qualified so no CRD short name can shadow them. */
export const LIVE_KINDS = [
  "deployments.apps",
  "statefulsets.apps",
  "daemonsets.apps",
  "jobs.batch",
  "pods",
  "services",
  "configmaps",
  "persistentvolumeclaims",
  "serviceaccounts",
  "roles.rbac.authorization.k8s.io",
  "rolebindings.rbac.authorization.k8s.io",
  "networkpolicies.networking.k8s.io",
  "poddisruptionbudgets.policy",
] as const;

/**
 * Cluster-scoped kinds the checks read: the admission policies that confine a release's
 * ServiceAccount to its own objects (rbac-separation). All of them, whichever stack made
 * them: a policy pins the account it confines by name.
 */
export const LIVE_CLUSTER_KINDS = [
  "validatingadmissionpolicies.admissionregistration.k8s.io",
  "validatingadmissionpolicybindings.admissionregistration.k8s.io",
] as const;

/**
 * Secrets are listed by name and release label only (a jsonpath template), so the
 * verifier never reads a credential; checks need only who owns a Secret.
 */
export const SECRET_JSONPATH = `jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.metadata.labels.${RELEASE_LABEL.replace(/\./g, "\\.")}}{"\\n"}{end}`;

interface KubeList {
  items?: KubeManifest[];
}

function itemsOf(json: string, what: string): KubeManifest[] {
  let parsed: KubeList & KubeManifest;
  try {
    parsed = JSON.parse(json) as KubeList & KubeManifest;
  } catch (error) {
    throw new Error(`kubectl ${what}: output is not JSON (${(error as Error).message})`);
  }
  // `kubectl get` of a single name returns the object itself, of several a List.
  return parsed.items ?? (parsed.kind ? [parsed] : []);
}

/** Secret stubs (name, namespace, release label) from the jsonpath listing. */
export function parseSecretListing(text: string, namespace: string): KubeManifest[] {
  return text
    .split("\n")
    .map((line) => line.replace(/\r$/, ""))
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [name, release] = line.split("\t");
      return {
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
          name: name!.trim(),
          namespace,
          ...(release && release.trim() ? { labels: { [RELEASE_LABEL]: release.trim() } } : {}),
        },
      };
    });
}

/**
 * The same object list `npm run render` produces, read from a live cluster: the given
 * namespaces, every kind the checks need in them, Secrets by name and label, and the
 * cluster's admission policies.
 */
export async function collectLiveObjects(
  run: KubectlRunner,
  context: string,
  namespaces: readonly string[],
): Promise<KubeManifest[]> {
  if (namespaces.length === 0) throw new Error("--namespaces: name at least one namespace");
  const base = ["--context", context];
  const objects: KubeManifest[] = itemsOf(
    await run([...base, "get", "namespaces", ...namespaces, "-o", "json"]),
    `get namespaces ${namespaces.join(" ")}`,
  ).map((m) => ({ ...m, kind: m.kind ?? "Namespace" }));
  objects.push(
    ...itemsOf(
      await run([...base, "get", LIVE_CLUSTER_KINDS.join(","), "-o", "json"]),
      `get ${LIVE_CLUSTER_KINDS.join(",")}`,
    ),
  );
  for (const namespace of namespaces) {
    const scoped = [...base, "--namespace", namespace];
    objects.push(
      ...itemsOf(
        await run([...scoped, "get", LIVE_KINDS.join(","), "-o", "json"]),
        `get ${LIVE_KINDS.join(",")} in ${namespace}`,
      ),
    );
    objects.push(
      ...parseSecretListing(
        await run([...scoped, "get", "secrets", "-o", SECRET_JSONPATH]),
        namespace,
      ),
    );
  }
  return objects;
}
