// Jobs of the fault suite: real jobs on a release from the live suite's client pods
// (tests/cluster/jobs.ts builds them), a slow one a fault lands in (it_job.py, action
// slow: started in the background, the fault injected once its sleeping tasks run) and the
// re-run after it. One run id for the whole suite: every pod, ConfigMap and Secret carries
// it, and deleteRun removes them at the end.
import {
  connectJobPod,
  JOB_SCRIPT,
  prepareClientSide,
  releaseView,
  runJobPod,
  standaloneJobPod,
  type ClientSide,
  type JobRun,
  type ReleaseView,
} from "../cluster/jobs";
import {
  CLIENT_PLACEMENT,
  create,
  podLogs,
  readScript,
  RELEASES,
  scriptsConfigMap,
  type NamespaceOf,
  type ReleaseName,
} from "../cluster/clients";
import { waitUntil } from "../cluster/support";
import { HOSTNAME_LABEL } from "../cluster/twoNodeObjects";

/** How long the slow action's sleeping tasks run: 3 tasks of 15 s on one executor core. */
export const SLOW = { tasks: 3, taskSeconds: 15 } as const;
/** The rows the sleeping tasks count when they all complete. */
export const SLOW_ROWS = SLOW.tasks * SLOW.taskSeconds;
/** The line the slow action prints before its sleeping tasks start. */
export const WORKING_MARKER = "IT-WORKING";

type Manifest = Record<string, unknown>;

/** A copy of a client pod with extra environment variables on its one container. */
export function withEnv(pod: Manifest, env: Readonly<Record<string, string>>): Manifest {
  const spec = pod["spec"] as { containers: { env?: { name: string; value: string }[] }[] };
  const [first, ...rest] = spec.containers;
  const extra = Object.entries(env).map(([name, value]) => ({ name, value }));
  return {
    ...pod,
    spec: { ...spec, containers: [{ ...first, env: [...(first?.env ?? []), ...extra] }, ...rest] },
  };
}

/** A copy of a client pod that runs on the named node only (a drain must not evict it). */
export function pinnedTo(pod: Manifest, node: string): Manifest {
  const spec = pod["spec"] as Record<string, unknown>;
  return { ...pod, spec: { ...spec, nodeSelector: { [HOSTNAME_LABEL]: node } } };
}

/** Hive database of one job of the suite: `<run>_<job>_<release>`, lower case, no dashes. */
export function faultDatabase(runId: string, job: string, release: ReleaseName): string {
  return `${runId}_${job}_${release}`.replace(/-/g, "").toLowerCase();
}

/** What every job of a run shares: the scripts ConfigMap, each release's view and client side. */
export interface FaultJobs {
  readonly runId: string;
  readonly scripts: string;
  readonly views: Readonly<Record<ReleaseName, ReleaseView>>;
  readonly sides: Readonly<Record<ReleaseName, ClientSide>>;
}

export async function prepareFaultJobs(
  runId: string,
  namespaceOf: NamespaceOf,
): Promise<FaultJobs> {
  const scripts = `it-jobs-${runId}`;
  await create(
    scriptsConfigMap(scripts, CLIENT_PLACEMENT.namespace, runId, {
      [JOB_SCRIPT]: readScript(JOB_SCRIPT),
    }),
  );
  const views = {} as Record<ReleaseName, ReleaseView>;
  const sides = {} as Record<ReleaseName, ClientSide>;
  for (const r of RELEASES) {
    views[r] = await releaseView(r, namespaceOf[r]);
    sides[r] = await prepareClientSide(views[r], runId, CLIENT_PLACEMENT);
  }
  return { runId, scripts, views, sides };
}

/** The client pod of one job: spark-submit (3.5) or a Spark Connect client (4.1). */
export function jobManifest(
  jobs: FaultJobs,
  release: ReleaseName,
  name: string,
  action: "job" | "slow",
  node?: string,
): Manifest {
  // Pod `it-<name>-<release>-<run>`: the same job name on both releases never collides.
  const target = {
    action,
    name: `${name}-${release}`,
    database: faultDatabase(jobs.runId, name, release),
  };
  const pod =
    release === "spark-35"
      ? standaloneJobPod(jobs.views[release], jobs.sides[release], jobs.runId, jobs.scripts, target)
          .pod
      : connectJobPod(jobs.views[release], jobs.sides[release], jobs.runId, jobs.scripts, target);
  const placed = node ? pinnedTo(pod, node) : pod;
  return action === "slow"
    ? withEnv(placed, {
        IT_SLOW_TASKS: String(SLOW.tasks),
        IT_SLOW_TASK_SECONDS: String(SLOW.taskSeconds),
      })
    : placed;
}

/** A job to its end (the live suite's runJobPod): 15 minutes at most. */
export function runJob(
  jobs: FaultJobs,
  release: ReleaseName,
  name: string,
  node?: string,
): Promise<JobRun> {
  return runJobPod(jobManifest(jobs, release, name, "job", node), release, 900_000);
}

/** A slow job running in the background, its sleeping tasks started. */
export interface RunningJob {
  readonly pod: string;
  readonly database: string;
  /** The job's end (the pod Succeeded or Failed). */
  readonly done: Promise<JobRun>;
}

/** Starts a slow job and returns once it printed WORKING_MARKER (its tasks are running). */
export async function startSlowJob(
  jobs: FaultJobs,
  release: ReleaseName,
  name: string,
  node?: string,
): Promise<RunningJob> {
  const manifest = jobManifest(jobs, release, name, "slow", node);
  const pod = (manifest["metadata"] as { name: string }).name;
  const done = runJobPod(manifest, release, 900_000);
  // Until the caller awaits it, a failure is reported there, not as an unhandled rejection.
  done.catch(() => {});
  await waitUntil(
    `${pod} starts its sleeping tasks`,
    600_000,
    async () => {
      const log = await podLogs(CLIENT_PLACEMENT.namespace, pod).catch(() => "");
      if (log.includes(WORKING_MARKER)) return undefined;
      const ended = await Promise.race([done.then((r) => r.phase), sleepFor(0).then(() => "")]);
      if (ended) throw new Error(`${pod} ended ${ended} before its sleeping tasks started`);
      return "no marker yet";
    },
    2000,
  );
  return { pod, database: faultDatabase(jobs.runId, name, release), done };
}

export const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
