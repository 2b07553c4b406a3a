import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { selectorMatches } from "../kube/analysis/networkPolicy";
import type { PodModel } from "../kube/analysis/pods";
import { CLIENT_LABEL, NOTEBOOK_LABEL, RELEASE_LABEL, manifestId } from "../kube/objects";
import {
  containersOf,
  findObject,
  isNotebookObject,
  namespaceOf,
  ofKind,
  placedForClients,
  referencedSecrets,
  releaseMode,
  releaseOfManifest,
  releasesIn,
  type ClusterObjects,
} from "./objects";
import { row, type CheckResult } from "./result";

/** The variable JupyterLab reads its login token file from. */
export const JUPYTER_TOKEN_FILE_ENV = "JUPYTER_TOKEN_FILE";
/** Arguments or variables that would set the login token otherwise (or to nothing). */
const TOKEN_OVERRIDE = /(ServerApp|NotebookApp|IdentityProvider)\.(token|password)\b/;
const CLUSTER_DNS_PODS = "kube-dns";

/**
 * A notebook pod as a granted client of one Connect release, nothing more:
 *
 * - it carries the client label of a Connect release present in the objects;
 * - it reads only that release's client Secret and the notebook's own Secrets, and runs
 *   under no release's ServiceAccount;
 * - its login token comes from a file of a mounted Secret (JUPYTER_TOKEN_FILE), and nothing
 *   sets it otherwise: no JUPYTER_TOKEN variable, no token or password argument;
 * - a NetworkPolicy of the notebook admits no ingress and lets it reach only the cluster
 *   DNS and its release's pods.
 */
export function notebookProblems(objects: ClusterObjects, pod: PodModel): string[] {
  const problems: string[] = [];
  const release = pod.labels[CLIENT_LABEL];
  const name = pod.labels[NOTEBOOK_LABEL]!;
  if (!release) {
    problems.push(`pod has no ${CLIENT_LABEL} label: a notebook is a client of one release`);
  } else if (!releasesIn(objects).includes(release)) {
    problems.push(`is a client of ${release}, which is no release here`);
  } else if (releaseMode(objects, release) !== "connect") {
    problems.push(`is a client of ${release}, which is no Spark Connect release`);
  }

  for (const secretName of referencedSecrets(pod)) {
    const secret = findObject(objects, "Secret", pod.namespace, secretName);
    const where = `Secret ${pod.namespace}/${secretName}`;
    if (!secret) {
      problems.push(`references ${where}, which does not exist`);
    } else if (isNotebookObject(secret.metadata?.labels)) {
      if (secret.metadata?.labels?.[NOTEBOOK_LABEL] !== name) {
        problems.push(
          `references ${where} of notebook ${secret.metadata?.labels?.[NOTEBOOK_LABEL]}`,
        );
      }
    } else if (releaseOfManifest(secret) !== release || !placedForClients(secret)) {
      problems.push(
        `references ${where}, which is not a client Secret of ${release ?? "its release"} (release ${releaseOfManifest(secret) ?? "none"})`,
      );
    }
  }

  const account = pod.spec.serviceAccountName ?? pod.spec.serviceAccount ?? "default";
  const accountOwner = findObject(objects, "ServiceAccount", pod.namespace, account);
  const accountRelease = accountOwner ? releaseOfManifest(accountOwner) : undefined;
  if (accountRelease) {
    problems.push(
      `runs as ServiceAccount ${pod.namespace}/${account} of release ${accountRelease}`,
    );
  }

  const secretVolumes = new Set(
    (pod.spec.volumes ?? []).filter((v) => v.secret).map((v) => v.name),
  );
  for (const container of containersOf(pod)) {
    const env = container.env ?? [];
    const tokenFile = env.find((e) => e.name === JUPYTER_TOKEN_FILE_ENV);
    const mounts = container.volumeMounts ?? [];
    const fromSecret =
      tokenFile?.value !== undefined &&
      mounts.some(
        (m) => secretVolumes.has(m.name) && tokenFile.value!.startsWith(`${m.mountPath}/`),
      );
    if (!fromSecret) {
      problems.push(
        `container ${container.name}: ${JUPYTER_TOKEN_FILE_ENV} does not name a file of a mounted Secret`,
      );
    }
    if (env.some((e) => e.name === "JUPYTER_TOKEN")) {
      problems.push(
        `container ${container.name}: sets JUPYTER_TOKEN (the token belongs in its Secret file)`,
      );
    }
    const override = [...(container.command ?? []), ...(container.args ?? [])].find((a) =>
      TOKEN_OVERRIDE.test(a),
    );
    if (override) {
      problems.push(
        `container ${container.name}: ${override.split("=")[0]} sets the login otherwise`,
      );
    }
  }

  const policies = ofKind<INetworkPolicy & { kind: string }>(objects, "NetworkPolicy").filter(
    (p) =>
      namespaceOf(p) === pod.namespace &&
      isNotebookObject(p.metadata?.labels) &&
      selectorMatches(p.spec?.podSelector, pod.labels),
  );
  if (policies.length === 0) problems.push("no NetworkPolicy of the notebook selects its pod");
  for (const policy of policies) {
    const types = policy.spec?.policyTypes ?? [];
    if (!types.includes("Ingress") || !types.includes("Egress")) {
      problems.push(`${manifestId(policy)} does not restrict both ingress and egress`);
    }
    if ((policy.spec?.ingress ?? []).length > 0) {
      problems.push(
        `${manifestId(policy)} admits ingress (the notebook is reached by port-forward)`,
      );
    }
    for (const rule of policy.spec?.egress ?? []) {
      const peers = rule.to ?? [];
      if (peers.length === 0) problems.push(`${manifestId(policy)} allows egress to any address`);
      for (const peer of peers) {
        const labels = peer.podSelector?.matchLabels ?? {};
        const toRelease = labels[RELEASE_LABEL] === release && peer.namespaceSelector;
        const toDns = labels["k8s-app"] === CLUSTER_DNS_PODS && peer.namespaceSelector;
        if (!toRelease && !toDns) {
          problems.push(
            `${manifestId(policy)} allows egress beyond DNS and release ${release ?? "?"}: ${JSON.stringify(peer)}`,
          );
        }
      }
    }
  }
  return problems;
}

/** One row per notebook pod (rendered template or live pod). */
export function notebookAccess(objects: ClusterObjects): CheckResult[] {
  return objects.notebookPods.map((pod) =>
    row(
      "notebook-access",
      pod.origin,
      notebookProblems(objects, pod),
      `client of ${pod.labels[CLIENT_LABEL]}: its client Secret and own token file, no ingress, egress to DNS and its release`,
    ),
  );
}
