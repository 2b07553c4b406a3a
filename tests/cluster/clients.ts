// Client pods of the live checks (jobs.ts, network.ts): pods a user would start where the
// platform team granted access (releases[].clients of the local stacks): in a client
// namespace, under a granted ServiceAccount, Pod Security "restricted", named `it-*` and
// labelled with the run that created them so every one is deleted afterwards. Pure
// builders first, then kubectl helpers.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PlatformConfig } from "../../lib/config/model";
import { parsePlatformConfig } from "../../lib/config/parse";
import { rawConfigFromStackFile } from "../../lib/config/sources";
import { stackFilePath } from "../../tools/cli/stackFiles";
import {
  CLIENT_LABEL,
  containerSecurityContext,
  podSecurityContext,
  TMP_MOUNT,
  TMP_VOLUME,
} from "../../lib/kube/objects";
import { kubectlWithInput } from "../../tools/kubectl/client";
import { kubectl, type KubeObject } from "./support";

/** The two releases of the local stacks, and the namespace each runs in. */
export type ReleaseName = "spark-35" | "spark-41";
export type NamespaceOf = Readonly<Record<ReleaseName, string>>;
export const RELEASES: readonly ReleaseName[] = ["spark-35", "spark-41"];
export const otherRelease = (r: ReleaseName): ReleaseName =>
  r === "spark-35" ? "spark-41" : "spark-35";

/** Label on every object the live checks create: `kubectl delete -l` removes a run's objects. */
export const IT_RUN_LABEL = "spark-platform.io/it-run";

/**
 * Where the live suite's client pods run: a namespace both local stacks grant to both
 * releases, under a ServiceAccount they list for it (an Airflow worker during a migration).
 * tests/cluster/clients.unit.test.ts holds the stack files to it.
 */
export const CLIENT_PLACEMENT = { namespace: "airflow", serviceAccount: "airflow-worker" } as const;
export type ClientPlacement = { readonly namespace: string; readonly serviceAccount: string };

/** A client namespace granted to the other release only: a client there is refused. */
export const UNGRANTED_NAMESPACE: Readonly<Record<ReleaseName, string>> = {
  "spark-35": "team-data-science",
  "spark-41": "team-pipelines",
};

// The teams' side of the grants lives with the engine tools (setup applies it too).
export {
  clientNamespaceObjects,
  ensureClientNamespaces,
  IT_CLIENTS_LABEL,
} from "../../tools/engine/clientNamespaces";
/** uid of the Spark and pyspark-client images. */
export const CLIENT_UID = 185;
/** Stand-in image of the Connect client (cluster/images/pysparkClient.ts). */
export const PYSPARK_CLIENT_IMAGE = "spark-platform/pyspark-client:4.1.0";
/** Where the scripts of tests/cluster/jobs/ are mounted in client pods. */
export const SCRIPTS_DIR = "/opt/it";
export const SCRIPTS_SOURCE_DIR = join(__dirname, "jobs");

/** A run id: lower-case letters and digits, usable in pod names and Hive database names. */
export function newRunId(now = Date.now()): string {
  return `it${now.toString(36)}${Math.floor(Math.random() * 1296)
    .toString(36)
    .padStart(2, "0")}`;
}

export interface ClientPodSpec {
  readonly name: string;
  readonly namespace: string;
  readonly runId: string;
  readonly image: string;
  /** `spark-platform.io/client-of` value; undefined: a pod no policy admits. */
  readonly clientOf?: ReleaseName;
  /** The pod's ServiceAccount (a granted one in a client namespace); undefined: `default`. */
  readonly serviceAccountName?: string;
  readonly args: readonly string[];
  readonly env?: readonly Record<string, unknown>[];
  readonly restartPolicy?: "Never";
  readonly activeDeadlineSeconds?: number;
  readonly cpuRequest?: string;
  readonly memoryMiB?: number;
  readonly initContainers?: readonly Record<string, unknown>[];
  readonly volumes?: readonly Record<string, unknown>[];
  readonly mounts?: readonly Record<string, unknown>[];
  readonly ports?: readonly { name: string; containerPort: number }[];
  /** ConfigMap holding tests/cluster/jobs/*, mounted read-only at SCRIPTS_DIR. */
  readonly scriptsConfigMap?: string;
}

/**
 * A bare Pod as a user would start it: no ServiceAccount token, no service links, Pod
 * Security restricted (non-root uid 185, seccomp RuntimeDefault, no capabilities, no
 * privilege escalation, read-only root with an emptyDir /tmp), IfNotPresent pulls.
 */
export function clientPod(spec: ClientPodSpec): KubeObject & Record<string, unknown> {
  const memory = `${spec.memoryMiB ?? 256}Mi`;
  const labels: Record<string, string> = {
    [IT_RUN_LABEL]: spec.runId,
    ...(spec.clientOf ? { [CLIENT_LABEL]: spec.clientOf } : {}),
  };
  const scripts = spec.scriptsConfigMap
    ? {
        volume: { name: "it-scripts", configMap: { name: spec.scriptsConfigMap } },
        mount: { name: "it-scripts", mountPath: SCRIPTS_DIR, readOnly: true },
      }
    : undefined;
  const initContainers = (spec.initContainers ?? []).map((c) => ({
    imagePullPolicy: "IfNotPresent",
    ...c,
  }));
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: spec.name, namespace: spec.namespace, labels },
    spec: {
      restartPolicy: spec.restartPolicy ?? "Never",
      ...(spec.serviceAccountName ? { serviceAccountName: spec.serviceAccountName } : {}),
      ...(spec.activeDeadlineSeconds ? { activeDeadlineSeconds: spec.activeDeadlineSeconds } : {}),
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 5,
      securityContext: podSecurityContext(CLIENT_UID),
      ...(initContainers.length ? { initContainers } : {}),
      containers: [
        {
          name: "client",
          image: spec.image,
          imagePullPolicy: "IfNotPresent",
          args: [...spec.args],
          env: [{ name: "HOME", value: "/tmp" }, ...(spec.env ?? [])],
          ...(spec.ports?.length ? { ports: [...spec.ports] } : {}),
          resources: {
            requests: { cpu: spec.cpuRequest ?? "50m", memory },
            limits: { cpu: "1", memory },
          },
          securityContext: containerSecurityContext(),
          volumeMounts: [
            TMP_MOUNT,
            { name: "work", mountPath: "/opt/spark/work-dir" },
            ...(scripts ? [scripts.mount] : []),
            ...(spec.mounts ?? []),
          ],
        },
      ],
      volumes: [
        TMP_VOLUME,
        { name: "work", emptyDir: {} },
        ...(scripts ? [scripts.volume] : []),
        ...(spec.volumes ?? []),
      ],
    },
  };
}

/** The ConfigMap of tests/cluster/jobs/* (every file, by name). */
export function scriptsConfigMap(
  name: string,
  namespace: string,
  runId: string,
  files: Readonly<Record<string, string>>,
): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace, labels: { [IT_RUN_LABEL]: runId } },
    data: { ...files },
  };
}

export function readScript(file: string): string {
  return readFileSync(join(SCRIPTS_SOURCE_DIR, file), "utf8");
}

/** Fails on any Pod Security warning: these pods must pass `restricted` everywhere. */
export function podSecurityWarnings(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((line) => /PodSecurity|violate/i.test(line))
    .map((line) => line.trim());
}

/** `kubectl create -f -` of one object; throws on failure or on a Pod Security warning. */
export async function create(manifest: object): Promise<void> {
  const { code, stderr } = await kubectlWithInput(["create", "-f", "-"], JSON.stringify(manifest));
  const m = manifest as { kind?: string; metadata?: { name?: string; namespace?: string } };
  const id = `${m.kind}/${m.metadata?.namespace}/${m.metadata?.name}`;
  if (code !== 0) throw new Error(`kubectl create ${id}: ${stderr.trim()}`);
  const warnings = podSecurityWarnings(stderr);
  if (warnings.length)
    throw new Error(`${id} is not Pod Security restricted: ${warnings.join("; ")}`);
}

/** A committed local stack's configuration: its client grants are what the suite honours. */
export function localStackConfig(stack: "local" | "local-prod"): PlatformConfig {
  const result = parsePlatformConfig(rawConfigFromStackFile(stackFilePath(stack)));
  if (!result.ok) throw new Error(`Pulumi.${stack}.yaml is invalid: check-config names why`);
  return result.config;
}

/**
 * Runs `body` with the NetworkPolicy `namespace/name` deleted, then re-creates it as it was
 * (name, labels, annotations, spec), if it is still missing: a negative control's frame.
 */
export async function withNetworkPolicyDeleted<T>(
  namespace: string,
  name: string,
  body: () => Promise<T>,
): Promise<T> {
  const saved = JSON.parse(
    (await kubectl(["get", "networkpolicy", name, "-n", namespace, "-o", "json"])).stdout,
  ) as KubeObject & { metadata: Record<string, unknown> };
  const { labels, annotations } = saved.metadata;
  try {
    await kubectl(["delete", "networkpolicy", name, "-n", namespace, "--wait=true"]);
    return await body();
  } finally {
    const missing = (await kubectl(["get", "networkpolicy", name, "-n", namespace], true)).code;
    if (missing !== 0)
      await create({ ...saved, metadata: { name, namespace, labels, annotations } });
  }
}

/**
 * Deletes every object of a run in the given namespaces (pods, ConfigMaps, Secrets,
 * NetworkPolicies).
 */
export async function deleteRun(runId: string, namespaces: Iterable<string>): Promise<void> {
  for (const ns of new Set(namespaces)) {
    await kubectl(
      [
        "delete",
        "pods,configmaps,secrets,networkpolicies",
        "-n",
        ns,
        "-l",
        `${IT_RUN_LABEL}=${runId}`,
        "--ignore-not-found",
        "--wait=false",
      ],
      true,
    );
  }
}

export async function getObject(
  kind: string,
  namespace: string,
  name: string,
): Promise<KubeObject> {
  return JSON.parse((await kubectl(["get", kind, name, "-n", namespace, "-o", "json"])).stdout);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PodOutcome {
  readonly phase: string;
  readonly seconds: number;
  readonly pod: KubeObject;
}

/** Waits until a pod is Running and Ready (long-lived clients) or has finished (jobs). */
export async function waitForPod(
  namespace: string,
  name: string,
  until: "ready" | "finished",
  timeoutMs: number,
  started = Date.now(),
): Promise<PodOutcome> {
  const deadline = Date.now() + timeoutMs;
  let last: KubeObject | undefined;
  while (Date.now() < deadline) {
    last = await getObject("pod", namespace, name);
    const phase = String(last.status?.["phase"] ?? "Unknown");
    const conditions = (last.status?.["conditions"] ?? []) as { type: string; status: string }[];
    const ready = conditions.some((c) => c.type === "Ready" && c.status === "True");
    if (phase === "Succeeded" || phase === "Failed")
      return { phase, seconds: (Date.now() - started) / 1000, pod: last };
    if (until === "ready" && phase === "Running" && ready)
      return { phase, seconds: (Date.now() - started) / 1000, pod: last };
    await sleep(2000);
  }
  const phase = String(last?.status?.["phase"] ?? "Unknown");
  throw new Error(
    `pod ${namespace}/${name} still ${phase} after ${Math.round(timeoutMs / 1000)}s: ${JSON.stringify(last?.status?.["containerStatuses"] ?? last?.status?.["conditions"] ?? {})}`,
  );
}

export async function podLogs(
  namespace: string,
  name: string,
  container = "client",
): Promise<string> {
  return (await kubectl(["logs", "-n", namespace, name, "-c", container], true)).stdout;
}

/** `kubectl exec` into a pod; stdout, or throws with stderr. */
export async function exec(
  namespace: string,
  target: string,
  container: string | undefined,
  command: readonly string[],
): Promise<string> {
  const args = ["exec", "-n", namespace, target, ...(container ? ["-c", container] : [])];
  return (await kubectl([...args, "--", ...command])).stdout;
}

/** A long-lived client pod (`sleep`) to exec probes from; Ready when it runs. */
export function sleeperPod(
  name: string,
  namespace: string,
  runId: string,
  image: string,
  clientOf: ReleaseName | undefined,
  serviceAccountName?: string,
): KubeObject & Record<string, unknown> {
  return clientPod({
    name,
    namespace,
    runId,
    image,
    ...(clientOf ? { clientOf } : {}),
    ...(serviceAccountName ? { serviceAccountName } : {}),
    args: ["sleep", "3600"],
    activeDeadlineSeconds: 3600,
    memoryMiB: 128,
  });
}

/** A client sleeper of a release where the live suite's clients run (CLIENT_PLACEMENT). */
export function clientSleeperPod(
  name: string,
  runId: string,
  image: string,
  release: ReleaseName,
  placement: ClientPlacement = CLIENT_PLACEMENT,
): KubeObject & Record<string, unknown> {
  return sleeperPod(name, placement.namespace, runId, image, release, placement.serviceAccount);
}
