// Live checks "real work per release": a job per release started the way a user
// starts one, from a pod carrying the release's client label in a granted client namespace
// under a granted ServiceAccount (CLIENT_PLACEMENT), then the isolation of what
// the jobs left behind, read from the live system: metastore rows (PostgreSQL), catalogs
// (SHOW DATABASES), metastore roles, event logs and warehouse files (MinIO), History
// Servers (REST API), and the 4.1 executor pods. Called by tests/cluster/platform.test.ts
// after the platform is Ready; `npx tsx tests/cluster/jobs.ts --run` runs it once against
// the `local` stack (namespace spark). Pure parts first (tests/unit/cluster/jobs.test.ts).
import { parseSparkProperties, RELEASE_LABEL } from "../../lib/kube/objects";
import {
  jarsVolumeSize,
  FETCH_CONTAINER,
  CHECK_CONTAINER,
  JARS_VOLUME,
  SPARK_JARS_DIR,
} from "../../lib/jars/plan";
import { sparkS3aSet } from "../../lib/jars/catalog";
import { downloaderCommand } from "../../lib/jars/scripts";
import { PORTS, releaseNames, serviceHost } from "../../lib/naming/names";
import { OBJECT_STORE_ENV } from "../../lib/spark/s3a";
import { SPARK_CONF_DIR } from "../../lib/spark/defaults";
import { SPARK_AUTH_KEYS } from "../../lib/spark/authentication";
import { CONNECT_CLIENT_KEYS, GRPC_ROOTS_ENV } from "../../lib/spark/connectAuthentication";
import { connectServiceUrl } from "../../lib/naming/endpoints";
import {
  CLIENT_PLACEMENT,
  ensureClientNamespaces,
  localStackConfig,
  clientPod,
  clientSleeperPod,
  create,
  deleteRun,
  exec,
  getObject,
  newRunId,
  otherRelease,
  podLogs,
  PYSPARK_CLIENT_IMAGE,
  readScript,
  RELEASES,
  SCRIPTS_DIR,
  scriptsConfigMap,
  waitForPod,
  IT_RUN_LABEL,
  type ClientPlacement,
  type NamespaceOf,
  type ReleaseName,
} from "./clients";
import { expect } from "chai";
import { getItems, kubectl, minio, note, withPg, type KubeObject } from "./support";

// ---------------------------------------------------------------------------------------
// Pure parts

/** What every job writes and must read back. */
export const EXPECTED_ROWS: readonly [number, string][] = [
  [1, "alpha"],
  [2, "beta"],
  [3, "gamma"],
];
export const TABLE = "it_rows";
export const JOB_SCRIPT = "it_job.py";
export const METASTORE_DATABASES: Readonly<Record<ReleaseName, string>> = {
  "spark-35": "metastore_spark35",
  "spark-41": "metastore_spark41",
};
export const SPARK_VERSIONS: Readonly<Record<ReleaseName, string>> = {
  "spark-35": "3.5.7",
  "spark-41": "4.1.0",
};

/** One executor as the driver's UI reports it. */
export interface UiExecutor {
  readonly id: string;
  readonly hostPort?: string;
  readonly totalTasks: number;
  readonly isActive?: boolean;
}

/** The `IT-RESULT` line of it_job.py. */
export interface JobResult {
  readonly mode: "standalone" | "connect";
  readonly action: "job" | "show" | "slow" | "marker";
  readonly sparkVersion: string;
  readonly applicationId: string | null;
  readonly database?: string;
  readonly rows?: [number, string][];
  /** Rows the slow action's sleeping tasks counted (all of them when it completed). */
  readonly slowRows?: number;
  /** Rows a marker job got back carrying its marker. */
  readonly markerRows?: number;
  readonly databases: string[];
  readonly executorsBefore?: UiExecutor[] | { error: string } | null;
  readonly executorsAfter?: UiExecutor[] | { error: string } | null;
  readonly sessionSeconds: number;
  readonly workSeconds?: number;
  readonly totalSeconds: number;
}

/** The last `IT-RESULT {json}` line of a job's log, or undefined. */
export function parseJobResult(log: string): JobResult | undefined {
  const lines = log.split("\n").filter((l) => l.startsWith("IT-RESULT "));
  const last = lines[lines.length - 1];
  return last ? (JSON.parse(last.slice("IT-RESULT ".length)) as JobResult) : undefined;
}

/** Hive database name of a run and release: `<run>_spark35` (lower case, no dashes). */
export function databaseName(runId: string, release: ReleaseName): string {
  return `${runId}_${release.replace(/-/g, "")}`.toLowerCase();
}

/** `s3a://bucket/some/prefix` -> bucket and key prefix without slashes at either end. */
export function s3aLocation(url: string): { bucket: string; prefix: string } {
  const m = /^s3a:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) throw new Error(`not an s3a:// URL: ${url}`);
  return { bucket: m[1]!, prefix: m[2]!.replace(/\/+$/, "") };
}

/**
 * Keys of the bucket that belong to one application's event log (a 3.5 file named after
 * the id, a 4.x `eventlog_v2_<id>` directory), split into those under the release's own
 * prefix and those anywhere else.
 */
export function eventLogPlacement(
  appId: string,
  keys: readonly string[],
  ownPrefix: string,
): { own: string[]; elsewhere: string[] } {
  const mine = keys.filter((k) => k.split("/").some((part) => part.includes(appId)));
  const under = (k: string) => k.startsWith(`${ownPrefix}/`);
  return { own: mine.filter(under), elsewhere: mine.filter((k) => !under(k)) };
}

/** Executors other than the driver that ran tasks between two UI snapshots. */
export function executorsThatWorked(
  before: JobResult["executorsBefore"],
  after: JobResult["executorsAfter"],
): UiExecutor[] {
  if (!Array.isArray(after)) return [];
  const earlier = new Map(
    (Array.isArray(before) ? before : []).map((e) => [e.id, e.totalTasks] as const),
  );
  return after.filter((e) => e.id !== "driver" && e.totalTasks > (earlier.get(e.id) ?? 0));
}

/** Applications as the History Server REST API lists them. */
export interface HistoryApp {
  readonly id: string;
  readonly name?: string;
}

export function historyComplaints(
  release: ReleaseName,
  apps: readonly HistoryApp[],
  ownAppId: string,
  otherAppId: string | undefined,
): string[] {
  const ids = apps.map((a) => a.id);
  const out: string[] = [];
  if (!ids.includes(ownAppId))
    out.push(`${release}-history does not list ${release}'s application ${ownAppId}`);
  if (otherAppId && ids.includes(otherAppId))
    out.push(
      `${release}-history lists ${otherRelease(release)}'s application ${otherAppId}: it reads the other release's events`,
    );
  return out;
}

/** Whether an application's event data is in the bucket, not only a rolling log's appstatus marker. */
export function eventDataWritten(appId: string, keys: readonly string[], prefix: string): boolean {
  return eventLogPlacement(appId, keys, prefix).own.some((k) => !/\/appstatus_[^/]*$/.test(k));
}

/** Listed applications whose event log is not under the release's own prefix. */
export function foreignApplications(
  apps: readonly HistoryApp[],
  keys: readonly string[],
  ownPrefix: string,
): string[] {
  return apps
    .filter((a) => eventLogPlacement(a.id, keys, ownPrefix).own.length === 0)
    .map((a) => a.id);
}

/** The Spark jars a client driver needs, made the way the product makes a worker's. */
export interface ClientJars {
  readonly initContainers: Record<string, unknown>[];
  readonly volumes: Record<string, unknown>[];
  readonly mounts: Record<string, unknown>[];
  readonly env: Record<string, unknown>[];
  /** How they were derived, for the report. */
  readonly how: string;
}

const CLIENT_JARS_FIX =
  "the platform's jar repository (spark-platform:jars.repository) must be reachable from client pods";

/**
 * The s3a jars of a client driver of a Spark line, following what the live worker of the
 * same release gets (the product decides it, lib/jars/plan.ts#sparkPodJars): a worker with
 * a `fetch-jars` init container (jars.source download) -> the same downloader
 * (lib/jars/scripts.ts#downloaderCommand) of the line's set, from the repository the
 * worker's command names, into the same emptyDir, on SPARK_DIST_CLASSPATH; a worker with
 * `check-jars` (jars.source image) -> nothing, the image carries them.
 */
export function clientJars(
  workerPodSpec: Record<string, unknown>,
  line: string,
  image: string,
): ClientJars {
  const set = sparkS3aSet(line);
  const inits = (workerPodSpec["initContainers"] ?? []) as {
    name: string;
    command?: string[];
    resources?: unknown;
  }[];
  const fetch = inits.find((c) => c.name === FETCH_CONTAINER);
  if (!set) throw new Error(`no s3a jar set for Spark ${line}`);
  if (!fetch) {
    const how = inits.some((c) => c.name === CHECK_CONTAINER)
      ? "none added: the worker only checks its image (jars.source image)"
      : "none added: the worker gets none either";
    return { initContainers: [], volumes: [], mounts: [], env: [], how };
  }
  const repository = fetch.command?.[4];
  if (!repository) throw new Error(`worker's ${FETCH_CONTAINER} names no repository`);
  const writable = { name: JARS_VOLUME, mountPath: SPARK_JARS_DIR };
  return {
    initContainers: [
      {
        name: FETCH_CONTAINER,
        image,
        command: downloaderCommand(repository, SPARK_JARS_DIR, set.artifacts, CLIENT_JARS_FIX),
        resources: fetch.resources,
        securityContext: (fetch as Record<string, unknown>)["securityContext"],
        volumeMounts: [writable],
      },
    ],
    volumes: [{ name: JARS_VOLUME, emptyDir: { sizeLimit: jarsVolumeSize(set.artifacts) } }],
    mounts: [{ ...writable, readOnly: true }],
    env: [{ name: "SPARK_DIST_CLASSPATH", value: `${SPARK_JARS_DIR}/*` }],
    how: `${set.name} (${set.artifacts.length} jars) fetched from ${repository} as the worker's ${FETCH_CONTAINER} does`,
  };
}

/**
 * Writable scratch directories of the live worker's Spark container (emptyDirs such as the
 * directory spark.local.dir names) other than those a client pod has anyway: a driver
 * reading the release's spark-defaults needs the same paths writable on a read-only root.
 */
export function scratchDirsLike(
  workerPodSpec: Record<string, unknown>,
  have: readonly string[],
): { volumes: Record<string, unknown>[]; mounts: Record<string, unknown>[] } {
  const volumes = (workerPodSpec["volumes"] ?? []) as { name: string; emptyDir?: unknown }[];
  const container = (
    (workerPodSpec["containers"] ?? []) as {
      volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
    }[]
  )[0];
  const out = { volumes: [] as Record<string, unknown>[], mounts: [] as Record<string, unknown>[] };
  for (const m of container?.volumeMounts ?? []) {
    const volume = volumes.find((v) => v.name === m.name);
    if (!volume?.emptyDir || m.readOnly || have.includes(m.mountPath)) continue;
    out.volumes.push({ name: `like-${m.name}`, emptyDir: volume.emptyDir });
    out.mounts.push({ name: `like-${m.name}`, mountPath: m.mountPath });
  }
  return out;
}

/**
 * The jar arguments (`path|sha256|bytes`) of a downloader command: the worker's and the
 * client's must be the same list, or the client would not be doing what the product does.
 */
export function downloaderArtifacts(command: readonly string[] | undefined): string[] {
  return (command ?? []).slice(7);
}

/** spark-submit of the 3.5 job: client deploy mode, the driver in this pod. */
export function standaloneSubmitArgs(
  masterUrl: string,
  appName: string,
  executorMemory: string,
  executorCores: string,
): string[] {
  return [
    "/opt/spark/bin/spark-submit",
    "--master",
    masterUrl,
    "--deploy-mode",
    "client",
    "--name",
    appName,
    "--driver-memory",
    "512m",
    "--executor-memory",
    executorMemory,
    "--executor-cores",
    executorCores,
    "--total-executor-cores",
    executorCores,
    // Executors on the worker connect back to this pod.
    "--conf",
    "spark.driver.host=$(POD_IP)",
    "--conf",
    "spark.driver.bindAddress=0.0.0.0",
    "--conf",
    `spark.driver.port=${PORTS.driverRpc}`,
    "--conf",
    `spark.blockManager.port=${PORTS.blockManager}`,
    `${SCRIPTS_DIR}/${JOB_SCRIPT}`,
  ];
}

/** spark-submit arguments with extra `--conf key=value` pairs before the script. */
export function withSubmitConf(
  args: readonly string[],
  conf: Readonly<Record<string, string>>,
): string[] {
  const extra = Object.entries(conf).flatMap(([k, v]) => ["--conf", `${k}=${v}`]);
  return [...args.slice(0, -1), ...extra, ...args.slice(-1)];
}

/**
 * An application's event log as the storage check judges it: present under the
 * release's own prefix, and nowhere else (each complaint names the release and keys).
 */
export function eventLogComplaints(
  release: ReleaseName,
  appId: string,
  keys: readonly string[],
  bucket: string,
  prefix: string,
): string[] {
  const placed = eventLogPlacement(appId, keys, prefix);
  const complaints: string[] = [];
  if (placed.own.length === 0)
    complaints.push(`${release}: no event log of ${appId} under ${bucket}/${prefix}/`);
  if (placed.elsewhere.length)
    complaints.push(
      `${release}: event log of ${appId} outside ${prefix}/: ${placed.elsewhere.join(", ")}`,
    );
  return complaints;
}

/** The pod template's security settings an executor pod must carry (components/spark-release). */
export function executorSecurityComplaints(pod: KubeObject): string[] {
  const spec = (pod.spec ?? {}) as {
    securityContext?: Record<string, unknown>;
    containers?: { name: string; securityContext?: Record<string, unknown> }[];
    enableServiceLinks?: boolean;
  };
  const name = pod.metadata.name;
  const out: string[] = [];
  const psc = spec.securityContext ?? {};
  if (psc["runAsNonRoot"] !== true) out.push(`${name}: pod runAsNonRoot is not true`);
  if (psc["runAsUser"] !== 185) out.push(`${name}: pod runAsUser ${String(psc["runAsUser"])}`);
  if ((psc["seccompProfile"] as { type?: string } | undefined)?.type !== "RuntimeDefault")
    out.push(`${name}: pod seccompProfile is not RuntimeDefault`);
  if (spec.enableServiceLinks !== false) out.push(`${name}: service links enabled`);
  for (const c of spec.containers ?? []) {
    const sc = c.securityContext ?? {};
    if (sc["allowPrivilegeEscalation"] !== false)
      out.push(`${name}/${c.name}: allowPrivilegeEscalation is not false`);
    if (sc["readOnlyRootFilesystem"] !== true)
      out.push(`${name}/${c.name}: readOnlyRootFilesystem is not true`);
    const drop = ((sc["capabilities"] as { drop?: string[] } | undefined)?.drop ?? []).map((d) =>
      d.toUpperCase(),
    );
    if (!drop.includes("ALL")) out.push(`${name}/${c.name}: capabilities not dropped (ALL)`);
  }
  return out;
}

/** Whether an executor pod is owned by the given Connect server pod. */
export function ownedBy(pod: KubeObject, owner: KubeObject): boolean {
  return (pod.metadata.ownerReferences ?? []).some(
    (o) =>
      o.kind === "Pod" &&
      o.name === owner.metadata.name &&
      (o as { uid?: string }).uid === owner.metadata.uid,
  );
}

/** Names of the checks checkJobs returns, in order (jobChecks registers one `it` each). */
export const CHECK_NAMES = {
  job: {
    "spark-41": "spark-41: a Spark Connect client job creates, fills and reads back its table",
    "spark-35":
      "spark-35: a spark-submit job (client mode) creates, fills and reads back its table",
  },
  jars: "spark-35's client driver gets its s3a jars the way the product's worker does",
  catalogs: "each release's Spark sees only its own databases",
  metastore: "each table is a row in its own release's metastore database only",
  roles: "each metastore role cannot connect to the other release's database",
  storage: "event logs and table files lie only under each release's own prefixes",
  history: {
    "spark-35": "spark-35-history lists the job's finished application",
    "spark-41":
      "spark-41's running application logs under its own prefix (listed once closed: see the restart check)",
  },
  liveUi: "spark-41's application is listed by the Connect server's live UI (REST :4040)",
  historyForeign: "no History Server lists another release's application",
  executorWork: "spark-35's job ran its tasks on an executor of the worker, not in the driver",
  connectExecutors:
    "spark-41's job ran on executor pods of the Connect server, Pod Security restricted",
  serverRestart:
    "a Connect server's executors go with its pod, and its application then reaches the History Server",
} as const;

/** Check names in checkJobs's order. */
export const JOB_CHECK_ORDER: readonly string[] = [
  CHECK_NAMES.job["spark-41"],
  CHECK_NAMES.job["spark-35"],
  CHECK_NAMES.jars,
  CHECK_NAMES.catalogs,
  CHECK_NAMES.metastore,
  CHECK_NAMES.roles,
  CHECK_NAMES.storage,
  CHECK_NAMES.history["spark-35"],
  CHECK_NAMES.history["spark-41"],
  CHECK_NAMES.liveUi,
  CHECK_NAMES.historyForeign,
  CHECK_NAMES.executorWork,
  CHECK_NAMES.connectExecutors,
];

export interface Check {
  readonly name: string;
  /** Empty when the check holds. */
  readonly complaints: string[];
  /** What was observed, for the report. */
  readonly facts: string[];
}

// ---------------------------------------------------------------------------------------
// Live parts

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the live release offers a client: read from its own objects, nothing assumed. */
export interface ReleaseView {
  readonly release: ReleaseName;
  readonly namespace: string;
  readonly image: string;
  readonly defaults: Record<string, string>;
  /** The data of the release's spark-defaults ConfigMap, as a standalone driver mounts it. */
  readonly sparkDefaultsData: Record<string, string>;
  readonly workerPodSpec?: Record<string, unknown>;
  readonly workerEnv?: Record<string, string>;
}

export async function releaseView(release: ReleaseName, namespace: string): Promise<ReleaseView> {
  const names = releaseNames(release);
  const cm = await getObject("configmap", namespace, names.sparkDefaults);
  const sparkDefaultsData = { ...(cm as unknown as { data: Record<string, string> }).data };
  const defaults = parseSparkProperties(String(sparkDefaultsData["spark-defaults.conf"]));
  const front = release === "spark-35" ? names.master : names.connect;
  const deploy = await getObject("deployment", namespace, front);
  const podSpec = (deploy.spec as { template: { spec: Record<string, unknown> } }).template.spec;
  const image = String((podSpec["containers"] as { image: string }[])[0]!.image);
  if (release !== "spark-35") return { release, namespace, image, defaults, sparkDefaultsData };
  const worker = await getObject("deployment", namespace, names.worker);
  const workerPodSpec = (worker.spec as { template: { spec: Record<string, unknown> } }).template
    .spec;
  const env = Object.fromEntries(
    ((workerPodSpec["containers"] as { env?: { name: string; value?: string }[] }[])[0]!.env ?? [])
      .filter((e) => e.value !== undefined)
      .map((e) => [e.name, e.value!]),
  );
  return { release, namespace, image, defaults, sparkDefaultsData, workerPodSpec, workerEnv: env };
}

export interface JobRun {
  readonly release: ReleaseName;
  readonly pod: string;
  readonly namespace: string;
  readonly phase: string;
  /** Pod creation to Succeeded/Failed, seconds. */
  readonly seconds: number;
  readonly result?: JobResult;
  readonly logTail: string;
  /** The job's `IT-ERROR <Type>: <message>` line, read from the whole log: a server-side
   * stack trace after it can push it out of the tail. */
  readonly errorLine?: string;
  readonly jars?: string;
}

/** The `IT-ERROR <Type>: <message>` line of a job's log (it_job.py prints it on failure). */
export function errorLineOf(log: string): string | undefined {
  const line = log.split("\n").find((l) => l.startsWith("IT-ERROR "));
  return line?.slice("IT-ERROR ".length).trim() || undefined;
}

function tail(text: string, lines = 40): string {
  return text.split("\n").slice(-lines).join("\n");
}

export async function runJobPod(
  manifest: Record<string, unknown>,
  release: ReleaseName,
  timeoutMs: number,
) {
  const meta = manifest["metadata"] as { name: string; namespace: string };
  const started = Date.now();
  await create(manifest);
  const outcome = await waitForPod(meta.namespace, meta.name, "finished", timeoutMs, started);
  const log = await podLogs(meta.namespace, meta.name);
  const result = parseJobResult(log);
  const errorLine = errorLineOf(log);
  let logTail = tail(log);
  if (outcome.phase !== "Succeeded") {
    const inits = ((outcome.pod.status?.["initContainerStatuses"] ?? []) as { name: string }[]).map(
      (c) => c.name,
    );
    for (const init of inits) {
      logTail += `\n--- ${init}:\n${tail(await podLogs(meta.namespace, meta.name, init), 10)}`;
    }
  }
  return {
    release,
    pod: meta.name,
    namespace: meta.namespace,
    phase: outcome.phase,
    seconds: Math.round(outcome.seconds),
    ...(result ? { result } : {}),
    logTail,
    ...(errorLine ? { errorLine } : {}),
  } satisfies JobRun;
}

/**
 * Where a job goes and what it does: by default the release's own front Service and the
 * run's database; the migration walk passes a job's `jobRouting` route instead.
 */
export interface JobTarget {
  /** `spark://...` or `sc://...` (a `jobRouting` entry's `connectionUrl`). */
  readonly url?: string;
  /** job (create, fill, read back), read (read back an existing table), show, drop, slow
   * (job, then sleeping tasks a fault lands in, then one more row: it_job.py). */
  readonly action?: "job" | "read" | "show" | "drop" | "slow" | "marker";
  /** The marker a `marker` job's rows carry (it_job.py IT_MARKER). */
  readonly marker?: string;
  readonly database?: string;
  /** Pod name suffix (default: the action and release). */
  readonly name?: string;
  /** Extra `--conf` of a spark-submit job (negative controls break a setting with it). */
  readonly conf?: Readonly<Record<string, string>>;
  /**
   * A spark-submit job without the release's authentication secret: the driver reads the
   * run's copy of the release's spark-defaults (which holds no secret) and does not
   * authenticate or encrypt (WITHOUT_SECRET_CONF), as a client did before the release
   * required it.
   */
  readonly withoutSecret?: boolean;
  /**
   * A Spark Connect session without the release's token (`none`), with a random one
   * (`wrong`) or with the other release's real secret (`other`: spark-35's, from its client
   * Secret in the same namespace), over TLS as a client with the token would connect:
   * negative controls of the server's token check (it_job.py IT_CONNECT_TOKEN).
   */
  readonly connectToken?: "none" | "wrong" | "other";
}

/** Where a Connect control pod mounts the other release's client Secret (connectToken `other`). */
export const OTHER_CLIENT_DIR = "/etc/spark-other-client";

/**
 * Where a run's client pods go: a granted client namespace and ServiceAccount, and for a
 * standalone driver the Secret the platform keeps there with the release's spark-defaults
 * and authentication secret (`authSecret`, stack output `clientSecret`), plus the run's
 * copies there of the release's spark-defaults (for the driver without the secret) and
 * object-store keys (a pod mounts objects of its own namespace only).
 */
export interface ClientSide extends ClientPlacement {
  readonly sparkDefaults?: string;
  readonly objectStoreSecret?: string;
  readonly authSecret?: string;
}

/**
 * The run's copies of a standalone release's spark-defaults ConfigMap and object-store
 * Secret in the client namespace (`secretData` as the Secret holds it, base64), labelled
 * with the run so deleteRun removes them, and the client side that mounts them.
 */
export function clientCopies(
  view: ReleaseView,
  runId: string,
  secretData: Readonly<Record<string, string>>,
  placement: ClientPlacement = CLIENT_PLACEMENT,
): { objects: Record<string, unknown>[]; side: ClientSide } {
  const sparkDefaults = `it-${view.release}-spark-defaults-${runId}`;
  const objectStoreSecret = `it-${view.release}-object-store-${runId}`;
  const metadata = (name: string) => ({
    name,
    namespace: placement.namespace,
    labels: { [IT_RUN_LABEL]: runId },
  });
  return {
    objects: [
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: metadata(sparkDefaults),
        data: { ...view.sparkDefaultsData },
      },
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: metadata(objectStoreSecret),
        type: "Opaque",
        data: { ...secretData },
      },
    ],
    side: {
      ...placement,
      sparkDefaults,
      objectStoreSecret,
      authSecret: releaseNames(view.release).sparkClientSecret,
    },
  };
}

/** The client side of a release for one run, creating the copies a standalone driver needs. */
export async function prepareClientSide(
  view: ReleaseView,
  runId: string,
  placement: ClientPlacement = CLIENT_PLACEMENT,
): Promise<ClientSide> {
  if (!view.workerPodSpec) return { ...placement };
  const secret = await getObject(
    "secret",
    view.namespace,
    releaseNames(view.release).objectStoreSecret,
  );
  const copies = clientCopies(
    view,
    runId,
    (secret as unknown as { data: Record<string, string> }).data,
    placement,
  );
  // The platform's client Secret must be there already: fail here, naming it, not in the
  // driver. By name only: the run never reads the secret itself.
  await kubectl([
    "get",
    "secret",
    copies.side.authSecret!,
    "-n",
    placement.namespace,
    "-o",
    "name",
  ]);
  for (const object of copies.objects) await create(object);
  return copies.side;
}

/**
 * The driver's configuration directory (SPARK_CONF_DIR): the platform's client Secret
 * (`spark-defaults.conf`: the release's spark-defaults and its secret), as a client mounts
 * it; or, without the secret, the run's copy of the release's spark-defaults ConfigMap.
 */
export function driverConfVolume(
  client: ClientSide,
  withoutSecret: boolean,
): Record<string, unknown> {
  if (withoutSecret) return { name: "spark-conf", configMap: { name: client.sparkDefaults } };
  return {
    name: "spark-conf",
    secret: {
      secretName: client.authSecret,
      items: [{ key: SPARK_AUTH_KEYS.driverDefaults, path: SPARK_AUTH_KEYS.driverDefaults }],
      defaultMode: 0o440,
    },
  };
}

/**
 * A driver that does not know the release's secret: no authentication, and so no RPC or
 * I/O encryption either (Spark refuses encryption without authentication at start,
 * "spark.authenticate must be enabled when enabling encryption", before it ever reaches
 * the master), as a client configured before the release required its secret.
 */
export const WITHOUT_SECRET_CONF: Readonly<Record<string, string>> = {
  "spark.authenticate": "false",
  "spark.network.crypto.enabled": "false",
  "spark.io.encryption.enabled": "false",
};

/** IT_MARKER of a `marker` job; nothing otherwise. */
function markerEnv(target: JobTarget): { name: string; value: string }[] {
  return target.marker === undefined ? [] : [{ name: "IT_MARKER", value: target.marker }];
}

/** The 3.5 job: spark-submit to the standalone master, driver in the client pod. */
export function standaloneJobPod(
  view: ReleaseView,
  client: ClientSide,
  runId: string,
  scripts: string,
  target: JobTarget = {},
) {
  const names = releaseNames(view.release);
  if (!client.sparkDefaults || !client.objectStoreSecret || !client.authSecret) {
    throw new Error(
      `${view.release}: the standalone driver needs its copies in ${client.namespace}`,
    );
  }
  const jars = clientJars(view.workerPodSpec ?? {}, "3.5", view.image);
  const masterUrl =
    target.url ?? `spark://${serviceHost(names.master, view.namespace)}:${PORTS.masterRpc}`;
  // What every client pod has (clients.ts#clientPod) plus the jars directory.
  const scratch = scratchDirsLike(view.workerPodSpec ?? {}, [
    "/tmp",
    "/opt/spark/work-dir",
    SPARK_JARS_DIR,
  ]);
  const pod = clientPod({
    name: `it-${target.name ?? `job-${view.release}`}-${runId}`,
    namespace: client.namespace,
    serviceAccountName: client.serviceAccount,
    runId,
    image: view.image,
    clientOf: view.release,
    activeDeadlineSeconds: 900,
    cpuRequest: "100m",
    memoryMiB: 1024,
    scriptsConfigMap: scripts,
    initContainers: jars.initContainers,
    volumes: [
      driverConfVolume(client, target.withoutSecret === true),
      ...jars.volumes,
      ...scratch.volumes,
    ],
    mounts: [
      { name: "spark-conf", mountPath: SPARK_CONF_DIR, readOnly: true },
      ...jars.mounts,
      ...scratch.mounts,
    ],
    ports: [
      { name: "driver-rpc", containerPort: PORTS.driverRpc },
      { name: "blockmanager", containerPort: PORTS.blockManager },
      { name: "driver-ui", containerPort: PORTS.driverUi },
    ],
    args: withSubmitConf(
      standaloneSubmitArgs(
        masterUrl,
        `it-job-${runId}`,
        view.workerEnv?.["SPARK_WORKER_MEMORY"] ?? "512m",
        view.workerEnv?.["SPARK_WORKER_CORES"] ?? "1",
      ),
      {
        ...(target.withoutSecret ? WITHOUT_SECRET_CONF : {}),
        ...target.conf,
      },
    ),
    env: [
      { name: "SPARK_CONF_DIR", value: SPARK_CONF_DIR },
      { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
      { name: "PYTHONDONTWRITEBYTECODE", value: "1" },
      { name: "IT_MODE", value: "standalone" },
      { name: "IT_ACTION", value: target.action ?? "job" },
      { name: "IT_DATABASE", value: target.database ?? databaseName(runId, view.release) },
      ...markerEnv(target),
      // The driver writes the event log: the release's object-store keys (the run's copy).
      ...[OBJECT_STORE_ENV.accessKey, OBJECT_STORE_ENV.secretKey].map((k) => ({
        name: k.env,
        valueFrom: { secretKeyRef: { name: client.objectStoreSecret, key: k.secretKey } },
      })),
      ...jars.env,
    ],
  });
  return { pod, jars, scratch };
}

/** Where a Connect client pod mounts its release's client Secret (token and ca.crt). */
export const CONNECT_CLIENT_DIR = "/etc/spark-connect-client";

/** The 4.1 job (or a SHOW DATABASES pass): a Spark Connect client. */
export function connectJobPod(
  view: ReleaseView,
  client: ClientPlacement,
  runId: string,
  scripts: string,
  target: JobTarget = {},
) {
  const names = releaseNames(view.release);
  const host = serviceHost(names.connect, view.namespace);
  const action = target.action ?? "job";
  const other =
    target.connectToken === "other" ? releaseNames("spark-35").sparkClientSecret : undefined;
  return clientPod({
    name: `it-${target.name ?? `${action}-${view.release}`}-${runId}`,
    namespace: client.namespace,
    serviceAccountName: client.serviceAccount,
    runId,
    image: PYSPARK_CLIENT_IMAGE,
    clientOf: view.release,
    activeDeadlineSeconds: 600,
    cpuRequest: "100m",
    memoryMiB: 512,
    scriptsConfigMap: scripts,
    args: ["python3", `${SCRIPTS_DIR}/${JOB_SCRIPT}`],
    env: [
      { name: "PYTHONDONTWRITEBYTECODE", value: "1" },
      { name: "IT_MODE", value: "connect" },
      { name: "IT_ACTION", value: action },
      { name: "IT_DATABASE", value: target.database ?? databaseName(runId, view.release) },
      ...markerEnv(target),
      // The release's URL as its outputs give it (TLS on); the job adds the mounted token.
      { name: "IT_CONNECT_URL", value: target.url ?? connectServiceUrl(host) },
      {
        name: "IT_CONNECT_TOKEN_FILE",
        value: `${CONNECT_CLIENT_DIR}/${CONNECT_CLIENT_KEYS.token}`,
      },
      ...(target.connectToken ? [{ name: "IT_CONNECT_TOKEN", value: target.connectToken }] : []),
      ...(other
        ? [
            {
              name: "IT_OTHER_SECRET_FILE",
              value: `${OTHER_CLIENT_DIR}/${SPARK_AUTH_KEYS.properties}`,
            },
          ]
        : []),
      { name: GRPC_ROOTS_ENV, value: `${CONNECT_CLIENT_DIR}/${CONNECT_CLIENT_KEYS.caCert}` },
      { name: "IT_UI_URL", value: `http://${host}:${PORTS.driverUi}` },
    ],
    // The platform's client Secret of the release in the client namespace: token and CA;
    // for the `other` control also the other release's, where the platform keeps it.
    volumes: [
      { name: "connect-client", secret: { secretName: names.connectClientSecret } },
      ...(other ? [{ name: "other-client", secret: { secretName: other } }] : []),
    ],
    mounts: [
      { name: "connect-client", mountPath: CONNECT_CLIENT_DIR, readOnly: true },
      ...(other ? [{ name: "other-client", mountPath: OTHER_CLIENT_DIR, readOnly: true }] : []),
    ],
  });
}

/** What a job run's body gets from withJobRun. */
export interface JobRunFrame {
  /** Labels every object of the run (IT_RUN_LABEL); deleteRun removes them by it. */
  readonly runId: string;
  /** The run's ConfigMap of scripts in the client namespace (`it-jobs-<run>`). */
  readonly scripts: string;
  readonly placement: ClientPlacement;
}

/**
 * The frame of a live job run: a fresh run id, the scripts ConfigMap (it_job.py, plus
 * `extraScripts`) in the client namespace, and at the end, whatever `body` does, the
 * deletion of every object labelled with the run there and in `alsoIn`.
 */
export async function withJobRun<T>(
  body: (run: JobRunFrame) => Promise<T>,
  options: {
    readonly placement?: ClientPlacement;
    readonly alsoIn?: readonly string[];
    readonly extraScripts?: readonly string[];
    /** Keep the run's objects (for a look after a failure). */
    readonly keep?: boolean;
  } = {},
): Promise<T> {
  const runId = newRunId();
  const placement = options.placement ?? CLIENT_PLACEMENT;
  const scripts = `it-jobs-${runId}`;
  try {
    const files = [JOB_SCRIPT, ...(options.extraScripts ?? [])];
    await create(
      scriptsConfigMap(
        scripts,
        placement.namespace,
        runId,
        Object.fromEntries(files.map((file) => [file, readScript(file)])),
      ),
    );
    return await body({ runId, scripts, placement });
  } finally {
    if (!options.keep) await deleteRun(runId, [placement.namespace, ...(options.alsoIn ?? [])]);
  }
}

/**
 * One job run as a user's job runs: to its route's URL (a `jobRouting` entry), from a
 * client pod of the route's release in the granted client namespace (`namespace`: where
 * the release runs). Creates and deletes only its own `it-*` objects.
 */
export async function runRoutedJob(
  route: { readonly release: ReleaseName; readonly connectionUrl: string },
  namespace: string,
  target: JobTarget & { readonly database: string; readonly name: string },
  placement: ClientPlacement = CLIENT_PLACEMENT,
): Promise<JobRun> {
  return withJobRun(
    async ({ runId, scripts }) => {
      const view = await releaseView(route.release, namespace);
      const client = await prepareClientSide(view, runId, placement);
      const routed = { ...target, url: route.connectionUrl };
      const manifest = route.connectionUrl.startsWith("sc://")
        ? connectJobPod(view, client, runId, scripts, routed)
        : standaloneJobPod(view, client, runId, scripts, routed).pod;
      return runJobPod(manifest, route.release, 900_000);
    },
    { placement },
  );
}

/** Executor pods of the 4.1 release, sampled while its job runs. */
interface ExecutorSample {
  readonly at: number;
  readonly pods: KubeObject[];
}

export async function executorPods(namespace: string): Promise<KubeObject[]> {
  return getItems(
    "pods",
    namespace,
    `${RELEASE_LABEL}=spark-41,app.kubernetes.io/component=executor`,
  );
}

function sampleExecutors(namespace: string): { stop: () => Promise<ExecutorSample[]> } {
  const samples: ExecutorSample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      samples.push({ at: Date.now(), pods: await executorPods(namespace).catch(() => []) });
      await sleep(3000);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return samples;
    },
  };
}

export async function listKeys(bucket: string): Promise<string[]> {
  const store = await minio();
  const keys: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const stream = store.listObjectsV2(bucket, "", true);
    stream.on("data", (o: { name?: string }) => o.name && keys.push(o.name));
    stream.on("end", () => resolve());
    stream.on("error", reject);
  });
  return keys;
}

export async function secretValue(namespace: string, secret: string, key: string): Promise<string> {
  const out = await kubectl([
    "get",
    "secret",
    secret,
    "-n",
    namespace,
    "-o",
    `jsonpath={.data.${key}}`,
  ]);
  return Buffer.from(out.stdout.trim(), "base64").toString("utf8");
}

const BUCKET_OF = (s3aUrl: string) => s3aLocation(s3aUrl).bucket;

export const HTTP_GET_PY =
  "import sys, urllib.request\nprint(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())";

export interface JobsReport {
  readonly runId: string;
  readonly runs: JobRun[];
  readonly checks: Check[];
}

export interface JobsOptions {
  /** Keep the run's pods and ConfigMaps (debugging). */
  readonly keep?: boolean;
  readonly log?: (line: string) => void;
  /** How long History Servers get to list a finished application (they poll every 10 s). */
  readonly historyTimeoutMs?: number;
}

/**
 * Runs one job per release and checks what they left behind. Returns every check with
 * its complaints (empty = holds); throws only when the system cannot be read at all.
 * Creates only `it-*` objects labelled with the run, and deletes them at the end.
 */
export async function checkJobs(
  namespaceOf: NamespaceOf,
  options: JobsOptions = {},
): Promise<JobsReport> {
  const log = options.log ?? (() => {});
  const runs: JobRun[] = [];
  const checks: Check[] = [];
  return withJobRun(
    async ({ runId, scripts, placement }) => {
      const views = {
        "spark-35": await releaseView("spark-35", namespaceOf["spark-35"]),
        "spark-41": await releaseView("spark-41", namespaceOf["spark-41"]),
      } as const;
      const sides = {
        "spark-35": await prepareClientSide(views["spark-35"], runId, placement),
        "spark-41": await prepareClientSide(views["spark-41"], runId, placement),
      } as const;
      // Long-lived clients of each release, to read its History Server as a user's pod would.
      const sleepers: Record<ReleaseName, string> = {
        "spark-35": `it-cli-spark-35-${runId}`,
        "spark-41": `it-cli-spark-41-${runId}`,
      };
      for (const r of RELEASES) {
        await create(
          clientSleeperPod(
            sleepers[r],
            runId,
            r === "spark-35" ? views[r].image : PYSPARK_CLIENT_IMAGE,
            r,
            placement,
          ),
        );
      }

      // 4.1 first, so the 3.5 job's SHOW DATABASES runs while 4.1's database exists.
      const ns41 = namespaceOf["spark-41"];
      const sampler = sampleExecutors(ns41);
      log("spark-41: Connect job starting");
      const run41 = await runJobPod(
        connectJobPod(views["spark-41"], sides["spark-41"], runId, scripts),
        "spark-41",
        600_000,
      );
      const samples = await sampler.stop();
      runs.push(run41);
      log(`spark-41: ${run41.phase} in ${run41.seconds}s`);

      log("spark-35: spark-submit job starting");
      const {
        pod: pod35,
        jars,
        scratch,
      } = standaloneJobPod(views["spark-35"], sides["spark-35"], runId, scripts);
      const run35 = {
        ...(await runJobPod(pod35, "spark-35", 900_000)),
        jars: `${jars.how}; scratch dirs like the worker's: ${scratch.mounts.map((m) => m["mountPath"]).join(", ") || "none"}`,
      };
      runs.push(run35);
      log(`spark-35: ${run35.phase} in ${run35.seconds}s`);

      // 4.1's catalog once more, now that 3.5's database exists.
      const show41 = await runJobPod(
        connectJobPod(views["spark-41"], sides["spark-41"], runId, scripts, { action: "show" }),
        "spark-41",
        300_000,
      );
      log(`spark-41: SHOW DATABASES pass ${show41.phase} in ${show41.seconds}s`);

      const byRelease = { "spark-35": run35, "spark-41": run41 } as const;
      checks.push(jobOutputCheck(run41, runId), jobOutputCheck(run35, runId));
      checks.push(jarsCheck(views["spark-35"], jars, run35.jars));
      checks.push(catalogCheck(runId, run35, run41, show41));
      checks.push(await metastoreCheck(runId, views));
      checks.push(await roleCheck(namespaceOf));
      checks.push(await storageCheck(runId, views, byRelease));
      const prefixes = {
        "spark-35": views["spark-35"].defaults["spark.eventLog.dir"] ?? "",
        "spark-41": views["spark-41"].defaults["spark.eventLog.dir"] ?? "",
      };
      checks.push(
        ...(await historyChecks(
          namespaceOf,
          placement.namespace,
          sleepers,
          byRelease,
          prefixes,
          options.historyTimeoutMs ?? 120_000,
        )),
      );
      checks.push(executorWorkCheck("spark-35", run35));
      checks.push(await connectExecutorCheck(ns41, run41, samples));
      return { runId, runs: [...runs, show41], checks };
    },
    options.keep ? { keep: true } : {},
  );
}

function jobOutputCheck(run: JobRun, runId: string): Check {
  const complaints: string[] = [];
  const r = run.result;
  const db = databaseName(runId, run.release);
  if (run.phase !== "Succeeded")
    complaints.push(`${run.release}: job pod ${run.pod} ${run.phase}:\n${run.logTail}`);
  if (!r) complaints.push(`${run.release}: no IT-RESULT line in ${run.pod}'s log`);
  else {
    if (JSON.stringify(r.rows) !== JSON.stringify(EXPECTED_ROWS))
      complaints.push(
        `${run.release}: read back ${JSON.stringify(r.rows)}, wrote ${JSON.stringify(EXPECTED_ROWS)}`,
      );
    if (r.sparkVersion !== SPARK_VERSIONS[run.release])
      complaints.push(
        `${run.release}: ran on Spark ${r.sparkVersion}, expected ${SPARK_VERSIONS[run.release]}`,
      );
    if (!r.databases.includes(db))
      complaints.push(`${run.release}: SHOW DATABASES lacks its own ${db}`);
    if (!r.applicationId) complaints.push(`${run.release}: no application id`);
  }
  return {
    name: CHECK_NAMES.job[run.release],
    complaints,
    facts: r
      ? [
          `${run.release}: ${run.pod} ${run.phase} in ${run.seconds}s (session ${r.sessionSeconds}s, SQL ${r.workSeconds}s), Spark ${r.sparkVersion}, app ${r.applicationId}, rows ${JSON.stringify(r.rows)}`,
        ]
      : [],
  };
}

function jarsCheck(view: ReleaseView, jars: ClientJars, how: string): Check {
  const workerFetch = (
    (view.workerPodSpec?.["initContainers"] ?? []) as { name: string; command?: string[] }[]
  ).find((c) => c.name === FETCH_CONTAINER);
  const clientFetch = jars.initContainers[0] as { command?: string[] } | undefined;
  const complaints: string[] = [];
  if (workerFetch) {
    const a = downloaderArtifacts(workerFetch.command);
    const b = downloaderArtifacts(clientFetch?.command);
    if (JSON.stringify(a) !== JSON.stringify(b))
      complaints.push(
        `the client's jars differ from ${view.release}-worker's: ${b.length} vs ${a.length} artifacts`,
      );
    if (workerFetch.command?.[4] !== clientFetch?.command?.[4])
      complaints.push("the client downloads from another repository than the worker");
  }
  return {
    name: CHECK_NAMES.jars,
    complaints,
    facts: [how],
  };
}

function catalogCheck(runId: string, run35: JobRun, run41: JobRun, show41: JobRun): Check {
  const db35 = databaseName(runId, "spark-35");
  const db41 = databaseName(runId, "spark-41");
  const complaints: string[] = [];
  const seen35 = run35.result?.databases;
  const seen41 = show41.result?.databases;
  if (!seen35) complaints.push("spark-35: no SHOW DATABASES result");
  else if (seen35.includes(db41))
    complaints.push(`spark-35's SHOW DATABASES lists spark-41's ${db41}`);
  if (!seen41)
    complaints.push(`spark-41: no SHOW DATABASES result (${show41.phase}): ${show41.logTail}`);
  else {
    if (seen41.includes(db35))
      complaints.push(`spark-41's SHOW DATABASES lists spark-35's ${db35}`);
    if (!seen41.includes(db41)) complaints.push(`spark-41's SHOW DATABASES lacks its own ${db41}`);
  }
  if (run41.result?.databases.includes(db35))
    complaints.push(`spark-41 listed ${db35} before it existed`);
  return {
    name: CHECK_NAMES.catalogs,
    complaints,
    facts: [
      `spark-35 sees ${JSON.stringify(seen35 ?? [])} (while ${db41} existed)`,
      `spark-41 sees ${JSON.stringify(seen41 ?? [])} (after ${db35} was created)`,
    ],
  };
}

interface MetastoreRow {
  db: string;
  location: string;
  table: string | null;
}

export async function metastoreRows(database: string, names: string[]): Promise<MetastoreRow[]> {
  return withPg(database, async (pg) => {
    const result = await pg.query(
      `SELECT d."NAME" AS db, d."DB_LOCATION_URI" AS location, t."TBL_NAME" AS table
         FROM "DBS" d LEFT JOIN "TBLS" t ON t."DB_ID" = d."DB_ID"
        WHERE d."NAME" = ANY($1)`,
      [names],
    );
    return result.rows as MetastoreRow[];
  });
}

export async function metastoreCheck(
  runId: string,
  views: Record<ReleaseName, ReleaseView>,
): Promise<Check> {
  const complaints: string[] = [];
  const facts: string[] = [];
  const all = RELEASES.map((r) => databaseName(runId, r));
  for (const r of RELEASES) {
    const db = databaseName(runId, r);
    const other = databaseName(runId, otherRelease(r));
    const rows = await metastoreRows(METASTORE_DATABASES[r], all);
    const own = rows.filter((row) => row.db === db);
    if (!own.some((row) => row.table === TABLE))
      complaints.push(`${METASTORE_DATABASES[r]} has no TBLS row ${db}.${TABLE} (${r}'s table)`);
    const warehouse = views[r].defaults["spark.sql.warehouse.dir"] ?? "";
    for (const row of own) {
      if (!warehouse || !row.location.startsWith(`${warehouse}/`))
        complaints.push(`${db} lives at ${row.location}, outside ${r}'s warehouse ${warehouse}`);
    }
    if (rows.some((row) => row.db === other))
      complaints.push(`${METASTORE_DATABASES[r]} holds ${otherRelease(r)}'s database ${other}`);
    facts.push(
      `${METASTORE_DATABASES[r]}: ${rows.map((row) => `${row.db}.${row.table ?? "-"} @ ${row.location}`).join(", ") || "none of this run"}`,
    );
  }
  return { name: CHECK_NAMES.metastore, complaints, facts };
}

/** Each metastore role logs in to its own database and is refused the other's. */
export async function roleCheck(namespaceOf: NamespaceOf): Promise<Check> {
  const complaints: string[] = [];
  const facts: string[] = [];
  for (const r of RELEASES) {
    const secret = releaseNames(r).metastoreDbSecret;
    const login = {
      user: await secretValue(namespaceOf[r], secret, "username"),
      password: await secretValue(namespaceOf[r], secret, "password"),
    };
    const own = METASTORE_DATABASES[r];
    const other = METASTORE_DATABASES[otherRelease(r)];
    try {
      await withPg(own, (pg) => pg.query("SELECT 1"), login);
      facts.push(`role ${login.user} connects to ${own}`);
    } catch (e) {
      complaints.push(
        `role ${login.user} (Secret ${secret}) cannot connect to its own ${own}: ${(e as Error).message}`,
      );
    }
    try {
      await withPg(other, (pg) => pg.query("SELECT 1"), login);
      complaints.push(
        `role ${login.user} of ${r} connects to ${other}, the other release's database`,
      );
    } catch (e) {
      const message = (e as Error).message;
      if (/permission denied for database/.test(message))
        facts.push(`role ${login.user} -> ${other}: ${message}`);
      else
        complaints.push(
          `role ${login.user} -> ${other} failed, but not with "permission denied for database": ${message}`,
        );
    }
  }
  return {
    name: CHECK_NAMES.roles,
    complaints,
    facts,
  };
}

/** Event logs and warehouse files of each application under its own release's prefixes only. */
async function storageCheck(
  runId: string,
  views: Record<ReleaseName, ReleaseView>,
  runs: Record<ReleaseName, JobRun>,
): Promise<Check> {
  const complaints: string[] = [];
  const facts: string[] = [];
  const events = RELEASES.map((r) => s3aLocation(views[r].defaults["spark.eventLog.dir"] ?? ""));
  const bucket = events[0]!.bucket;
  const keys = await listKeys(bucket);
  RELEASES.forEach((r, i) => {
    const appId = runs[r].result?.applicationId;
    const prefix = events[i]!.prefix;
    if (!appId) {
      complaints.push(`${r}: no application id to look for`);
      return;
    }
    const placed = eventLogPlacement(appId, keys, prefix);
    complaints.push(...eventLogComplaints(r, appId, keys, bucket, prefix));
    facts.push(`${r} ${appId}: ${placed.own.join(", ")}`);
    const warehouse = s3aLocation(views[r].defaults["spark.sql.warehouse.dir"] ?? "");
    const db = `${databaseName(runId, r)}.db/`;
    const tableFiles = keys.filter((k) => k.includes(`/${db}`) || k.startsWith(db));
    const outside = tableFiles.filter((k) => !k.startsWith(`${warehouse.prefix}/`));
    if (
      !tableFiles.some((k) => k.startsWith(`${warehouse.prefix}/${db}${TABLE}/`) && /part-/.test(k))
    )
      complaints.push(`${r}: no data file of ${db}${TABLE} under ${warehouse.prefix}/`);
    if (outside.length)
      complaints.push(`${r}: files of ${db} outside its warehouse: ${outside.join(", ")}`);
    facts.push(
      `${r} warehouse files: ${tableFiles.filter((k) => /part-/.test(k)).length} part file(s) under ${warehouse.prefix}/${db}`,
    );
  });
  return {
    name: CHECK_NAMES.storage,
    complaints,
    facts,
  };
}

async function historyApps(namespace: string, pod: string, url: string): Promise<HistoryApp[]> {
  const out = await exec(namespace, pod, "client", ["python3", "-c", HTTP_GET_PY, url]);
  return JSON.parse(out) as HistoryApp[];
}

/** Reads one History Server's application list from a client pod of its release. */
async function readHistory(
  releaseNamespace: string,
  clientNamespace: string,
  sleeper: string,
  release: ReleaseName,
): Promise<HistoryApp[]> {
  const url = `http://${serviceHost(releaseNames(release).history, releaseNamespace)}:${PORTS.historyUi}/api/v1/applications`;
  return historyApps(clientNamespace, sleeper, url);
}

/**
 * History Servers, read through a client pod of each release: its own application is
 * listed once its event data is in the bucket, and every application it lists has its
 * event log under its own release's prefix (so none of the other release's).
 */
async function historyChecks(
  namespaceOf: NamespaceOf,
  clientNamespace: string,
  sleepers: Record<ReleaseName, string>,
  runs: Record<ReleaseName, JobRun>,
  prefixes: Record<ReleaseName, string>,
  timeoutMs: number,
): Promise<Check[]> {
  const checks: Check[] = [];
  const foreign: string[] = [];
  const foreignFacts: string[] = [];
  for (const r of RELEASES) {
    const ns = namespaceOf[r];
    await waitForPod(clientNamespace, sleepers[r], "ready", 120_000);
    const own = runs[r].result?.applicationId ?? undefined;
    const other = runs[otherRelease(r)].result?.applicationId ?? undefined;
    const complaints: string[] = [];
    const facts: string[] = [];
    let keys = await listKeys(BUCKET_OF(prefixes[r]));
    const written = own ? eventDataWritten(own, keys, s3aLocation(prefixes[r]).prefix) : false;
    const deadline = Date.now() + (written ? timeoutMs : 0);
    let apps: HistoryApp[] = [];
    let found: string[] = [];
    for (;;) {
      try {
        apps = await readHistory(ns, clientNamespace, sleepers[r], r);
        found = own ? historyComplaints(r, apps, own, other) : [`${r}: no application id`];
      } catch (e) {
        found = [`${r}-history from ${sleepers[r]}: ${(e as Error).message.split("\n")[0]}`];
      }
      if (found.length === 0 || Date.now() > deadline) break;
      await sleep(5000);
    }
    keys = await listKeys(BUCKET_OF(prefixes[r]));
    const outside = foreignApplications(apps, keys, s3aLocation(prefixes[r]).prefix);
    for (const id of outside)
      foreign.push(`${r}-history lists ${id}, whose event log is not under ${prefixes[r]}`);
    foreign.push(...found.filter((c) => c.includes("reads the other")));
    foreignFacts.push(
      `${r}-history lists ${apps.length}: ${apps.map((a) => a.id).join(", ") || "none"}`,
    );
    const missing = found.filter((c) => !c.includes("reads the other"));
    if (missing.length && own && !written) {
      // A rolling event log on S3A: the events file becomes an object only when it is
      // closed (application end) or rolled; until then only the appstatus marker exists.
      // S3 has no flush, so a running Connect server's application reaches its History
      // Server only when the server stops: the restart check (serverRestart) proves that.
      const marker = `eventlog_v2_${own}/appstatus_${own}.inprogress`;
      if (!keys.some((k) => k.endsWith(marker))) {
        complaints.push(`${r}: no in-progress marker ${marker} under ${prefixes[r]}`);
      }
      facts.push(
        `${r}: the running server's log is only ${prefixes[r]}/${marker} until it closes (S3A uploads events_1_* at close or roll); listed after a restart (serverRestart)`,
      );
    } else complaints.push(...missing);
    facts.push(
      `${r} application ${own ?? "?"}: event data in the bucket: ${written ? "yes" : "no (only the appstatus marker)"}; listed: ${apps.some((a) => a.id === own) ? "yes" : "no"}`,
    );
    checks.push({
      name: CHECK_NAMES.history[r],
      complaints,
      facts,
    });
  }
  checks.push(
    await liveUiCheck(
      namespaceOf["spark-41"],
      clientNamespace,
      sleepers["spark-41"],
      runs["spark-41"],
    ),
  );
  checks.push({
    name: CHECK_NAMES.historyForeign,
    complaints: foreign,
    facts: foreignFacts,
  });
  return checks;
}

/** The running Connect server's own UI lists the application its client sessions run in. */
async function liveUiCheck(
  namespace: string,
  clientNamespace: string,
  sleeper: string,
  run: JobRun,
): Promise<Check> {
  const appId = run.result?.applicationId;
  const url = `http://${serviceHost(releaseNames("spark-41").connect, namespace)}:${PORTS.driverUi}/api/v1/applications`;
  let apps: HistoryApp[] = [];
  const complaints: string[] = [];
  try {
    apps = await historyApps(clientNamespace, sleeper, url);
  } catch (e) {
    complaints.push(`${url} from ${sleeper}: ${(e as Error).message.split("\n")[0]}`);
  }
  if (appId && !apps.some((a) => a.id === appId))
    complaints.push(`the Connect server's UI does not list ${appId}`);
  return {
    name: CHECK_NAMES.liveUi,
    complaints,
    facts: [
      `${url} lists ${apps.map((a) => `${a.id} (${a.name ?? "?"})`).join(", ") || "nothing"}`,
    ],
  };
}

function executorWorkCheck(release: ReleaseName, run: JobRun): Check {
  const worked = executorsThatWorked(run.result?.executorsBefore, run.result?.executorsAfter);
  return {
    name: CHECK_NAMES.executorWork,
    complaints: worked.length
      ? []
      : [
          `${release}: no executor ran tasks: ${JSON.stringify(run.result?.executorsAfter ?? null)}`,
        ],
    facts: worked.map((e) => `executor ${e.id} at ${e.hostPort} ran ${e.totalTasks} task(s)`),
  };
}

/**
 * The 4.1 executors: pods created by the Connect server (owner reference to the server
 * pod), with the pod template's security settings, alive while the job ran, and the
 * executors that ran its tasks among them. Spark Connect runs every client session in the
 * server's one SparkContext: its executors live as long as the server, not the client's
 * application, so they are not removed when the job ends; they go with the server pod
 * (Kubernetes garbage-collects pods whose owner is gone). What is checked here without
 * deleting the platform's pod: each executor is owned by the live server pod, and no
 * executor outlived its server (an executor whose owner pod is gone).
 */
async function connectExecutorCheck(
  namespace: string,
  run: JobRun,
  samples: readonly ExecutorSample[],
): Promise<Check> {
  const complaints: string[] = [];
  const facts: string[] = [];
  const servers = await getItems(
    "pods",
    namespace,
    `${RELEASE_LABEL}=spark-41,app.kubernetes.io/component=connect`,
  );
  const server = servers.find((p) => p.status?.["phase"] === "Running");
  const during = new Map<string, KubeObject>();
  for (const s of samples)
    for (const p of s.pods) if (p.status?.["phase"] === "Running") during.set(p.metadata.name, p);
  if (during.size === 0) complaints.push("spark-41: no executor pod was Running while the job ran");
  const after = await executorPods(namespace);
  for (const pod of during.values()) {
    complaints.push(...executorSecurityComplaints(pod));
    if (!server || !ownedBy(pod, server))
      complaints.push(
        `executor ${pod.metadata.name} is not owned by the running server pod ${server?.metadata.name ?? "(none)"}`,
      );
  }
  const livePods = new Set((await getItems("pods", namespace)).map((p) => p.metadata.uid));
  for (const pod of after) {
    const owners = (pod.metadata.ownerReferences ?? []) as {
      kind: string;
      name: string;
      uid?: string;
    }[];
    if (!owners.some((o) => o.kind === "Pod" && livePods.has(o.uid)))
      complaints.push(
        `executor ${pod.metadata.name} outlived its server: owner ${JSON.stringify(owners)} is gone`,
      );
  }
  const ips = new Set([...during.values()].map((p) => String(p.status?.["podIP"] ?? "")));
  const worked = executorsThatWorked(run.result?.executorsBefore, run.result?.executorsAfter);
  if (worked.length === 0)
    complaints.push(
      `spark-41: no executor ran the job's tasks: ${JSON.stringify(run.result?.executorsAfter ?? null)}`,
    );
  for (const e of worked) {
    const ip = (e.hostPort ?? "").replace(/:\d+$/, "");
    if (!ips.has(ip))
      complaints.push(
        `executor ${e.id} at ${e.hostPort} ran tasks but is none of the executor pods seen (${[...ips].join(", ")})`,
      );
  }
  const afterNames = after.map((p) => p.metadata.name);
  const kept = [...during.keys()].filter((n) => afterNames.includes(n));
  facts.push(
    `executor pods during the job: ${[...during.keys()].join(", ") || "none"} (owner ${server?.metadata.name ?? "?"})`,
    `after the job ended: ${afterNames.join(", ") || "none"}; ${kept.length} kept: Spark Connect keeps executors for the server's SparkContext, not per client application`,
    ...worked.map((e) => `executor ${e.id} at ${e.hostPort} ran ${e.totalTasks} task(s) in all`),
  );
  return {
    name: CHECK_NAMES.connectExecutors,
    complaints,
    facts,
  };
}

/**
 * DESTRUCTIVE, opt-in (`--restart-server`): deletes the platform's running Connect server
 * pod (its Deployment starts a new one) and checks what goes with it: every executor pod it
 * owned is garbage-collected, the new server gets executors of its own, and the old
 * server's application, its event log now closed, appears in the bucket under the 4.1
 * prefix and as a completed application in spark-41-history. Not part of checkJobs.
 */
export async function checkConnectServerRestart(
  namespaceOf: NamespaceOf,
  options: { readonly log?: (line: string) => void; readonly timeoutMs?: number } = {},
): Promise<Check> {
  const log = options.log ?? (() => {});
  const timeoutMs = options.timeoutMs ?? 360_000;
  const ns = namespaceOf["spark-41"];
  const runId = newRunId();
  const complaints: string[] = [];
  const facts: string[] = [];
  const connectSelector = `${RELEASE_LABEL}=spark-41,app.kubernetes.io/component=connect`;
  const server = (await getItems("pods", ns, connectSelector)).find(
    (p) => p.status?.["phase"] === "Running",
  );
  if (!server) return { name: "Connect server restart", complaints: ["no running server"], facts };
  const executors = (await executorPods(ns)).filter((p) => ownedBy(p, server));
  const appId = executors[0]?.metadata.labels?.["spark-app-selector"];
  const sleeper = `it-cli-spark-41-${runId}`;
  try {
    await create(clientSleeperPod(sleeper, runId, PYSPARK_CLIENT_IMAGE, "spark-41"));
    const started = Date.now();
    log(
      `deleting server pod ${server.metadata.name} (executors ${executors.map((e) => e.metadata.name).join(", ")}, app ${appId})`,
    );
    await kubectl(["delete", "pod", server.metadata.name, "-n", ns, "--wait=false"]);
    const deadline = started + timeoutMs;
    let left = executors.map((e) => e.metadata.name);
    while (left.length && Date.now() < deadline) {
      await sleep(2000);
      const names = new Set((await executorPods(ns)).map((p) => p.metadata.name));
      left = left.filter((n) => names.has(n));
    }
    if (left.length)
      complaints.push(
        `executors ${left.join(", ")} outlived their server pod by ${Math.round(timeoutMs / 1000)}s`,
      );
    else
      facts.push(
        `the old server's ${executors.length} executor(s) were removed ${Math.round((Date.now() - started) / 1000)}s after its pod was deleted`,
      );
    let next: KubeObject | undefined;
    let ownExecutors: KubeObject[] = [];
    while (Date.now() < deadline) {
      next = (await getItems("pods", ns, connectSelector)).find(
        (p) =>
          p.metadata.uid !== server.metadata.uid &&
          ((p.status?.["conditions"] ?? []) as { type: string; status: string }[]).some(
            (c) => c.type === "Ready" && c.status === "True",
          ),
      );
      ownExecutors = next
        ? (await executorPods(ns)).filter(
            (p) => ownedBy(p, next!) && p.status?.["phase"] === "Running",
          )
        : [];
      if (next && ownExecutors.length) break;
      await sleep(3000);
    }
    if (!next) complaints.push(`no new Ready server pod within ${Math.round(timeoutMs / 1000)}s`);
    else if (!ownExecutors.length)
      complaints.push(`new server ${next.metadata.name} has no executors`);
    else
      facts.push(
        `new server ${next.metadata.name} Ready with ${ownExecutors.map((p) => p.metadata.name).join(", ")} after ${Math.round((Date.now() - started) / 1000)}s`,
      );
    if (appId) {
      const prefix = s3aLocation(
        (await releaseView("spark-41", ns)).defaults["spark.eventLog.dir"] ?? "",
      );
      const keys = await listKeys(prefix.bucket);
      if (!eventDataWritten(appId, keys, prefix.prefix))
        complaints.push(
          `the old server's application ${appId} left no event data under ${prefix.prefix}/ (only ${eventLogPlacement(appId, keys, prefix.prefix).own.join(", ") || "nothing"})`,
        );
      await waitForPod(CLIENT_PLACEMENT.namespace, sleeper, "ready", 120_000);
      let listed: (HistoryApp & { attempts?: { completed?: boolean }[] }) | undefined;
      const historyDeadline = Date.now() + 120_000;
      while (!listed?.attempts?.[0]?.completed && Date.now() < historyDeadline) {
        listed = (
          await readHistory(ns, CLIENT_PLACEMENT.namespace, sleeper, "spark-41").catch(() => [])
        ).find((a) => a.id === appId);
        if (!listed?.attempts?.[0]?.completed) await sleep(5000);
      }
      if (!listed?.attempts?.[0]?.completed)
        complaints.push(
          `spark-41-history does not list the old server's application ${appId} as completed`,
        );
      else facts.push(`spark-41-history lists ${appId} as completed`);
    } else complaints.push("the old server's executors carry no spark-app-selector label");
  } finally {
    await deleteRun(runId, [CLIENT_PLACEMENT.namespace]);
  }
  return {
    name: CHECK_NAMES.serverRestart,
    complaints,
    facts,
  };
}

/**
 * For the platform suite: registers one `it` that runs the jobs and one per check (plain
 * `it`s: call inside a stack's describe, after readiness and before restarts or destroy).
 */
export function jobChecks(namespaceOf: NamespaceOf, options: JobsOptions = {}): void {
  let report: JobsReport | undefined;
  it("a job per release runs from a pod carrying the release's client label, in a granted client namespace under a granted ServiceAccount", async function () {
    this.timeout(25 * 60_000);
    report = await checkJobs(namespaceOf, { log: (l) => note(`jobs: ${l}`), ...options });
    for (const run of report.runs) note(`jobs: ${run.pod} ${run.phase} in ${run.seconds}s`);
    expect(report.checks.map((c) => c.name)).to.deep.equal([...JOB_CHECK_ORDER]);
  });
  for (const name of JOB_CHECK_ORDER) {
    it(name, () => {
      expect(report, "the jobs ran").to.not.equal(undefined);
      const check = report!.checks.find((c) => c.name === name)!;
      for (const fact of check.facts) note(fact);
      expect(check.complaints, check.facts.join("\n")).to.deep.equal([]);
    });
  }
}

// ---------------------------------------------------------------------------------------
// Self-test: npx tsx tests/cluster/jobs.ts --run [--keep] [--restart-server (destructive)]

export function formatReport(report: JobsReport): string {
  const lines: string[] = [`run ${report.runId}`];
  for (const run of report.runs) {
    lines.push(`  ${run.release} ${run.pod}: ${run.phase} in ${run.seconds}s`);
  }
  for (const check of report.checks) {
    lines.push(`${check.complaints.length ? "FAIL" : "ok  "} ${check.name}`);
    for (const f of check.facts) lines.push(`       ${f}`);
    for (const c of check.complaints) lines.push(`    !! ${c}`);
  }
  return lines.join("\n");
}

/** `--prod`: the local-prod layout (one namespace per release); default: local (spark). */
const NAMESPACES_FROM_ARGV = process.argv.includes("--prod")
  ? { "spark-35": "spark-35", "spark-41": "spark-41" }
  : { "spark-35": "spark", "spark-41": "spark" };

if (require.main === module && process.argv.includes("--run")) {
  void (async () => {
    await ensureClientNamespaces(
      localStackConfig(process.argv.includes("--prod") ? "local-prod" : "local"),
    );
    const report = await checkJobs(NAMESPACES_FROM_ARGV, {
      keep: process.argv.includes("--keep"),
      log: (l) => console.log(`[jobs] ${l}`),
    });
    if (process.argv.includes("--restart-server")) {
      report.checks.push(
        await checkConnectServerRestart(NAMESPACES_FROM_ARGV, {
          log: (l) => console.log(`[jobs] ${l}`),
        }),
      );
    }
    console.log(formatReport(report));
    process.exit(report.checks.some((c) => c.complaints.length) ? 1 : 0);
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(2);
  });
}
