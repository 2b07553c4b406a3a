// Live check "job KPIs while the Connect server runs": the same job of a known shape
// (KNOWN_SHAPE) runs on spark-35 (spark-submit, the application named after the platform
// job) and on spark-41 (a Connect session tagged with it, the server kept running), then
// job-kpis' own library (fetchApplicationHistories, runsOf, jobKpis) polls both History
// Servers until both runs show, and their stages and tasks must match the shape. It
// measures how long a 4.1 job takes from its end to its visibility, without other work
// (light load, then filler rounds if needed: how many filler tasks it took) and while
// another session keeps the server busy (docs/migration-runbook.md#connect-jobs-while-the-server-runs).
//
// Against the applied `local` stack: npx tsx tests/cluster/jobKpisLive.ts --run [--prod]
// In the live suite, platform.test.ts runs it on the local stack; SPARK_PLATFORM_LIVE_SKIP=job-kpis
// leaves it out. Pure parts first (jobKpisLive.unit.test.ts).
import { expect } from "chai";
import type { FetchLike } from "../../lib/migration/benchReport";
import {
  jobKpis,
  runsOf,
  type JobKpisReport,
  type JobRun as KpiRun,
  type ReleaseKpis,
} from "../../lib/migration/jobKpis";
import { fetchApplicationHistories } from "../../lib/migration/jobKpisHistory";
import { formatJobKpisMarkdown } from "../../lib/migration/jobKpisFormat";
import type { PlatformConfig } from "../../lib/config/model";
import { PORTS, releaseNames } from "../../lib/naming/names";
import { RELEASE_LABEL } from "../../lib/kube/objects";
import {
  CLIENT_PLACEMENT,
  create,
  deleteRun,
  ensureClientNamespaces,
  localStackConfig,
  newRunId,
  podLogs,
  readScript,
  scriptsConfigMap,
  SCRIPTS_DIR,
  type NamespaceOf,
  type ReleaseName,
} from "./clients";
import {
  connectJobPod,
  JOB_SCRIPT,
  prepareClientSide,
  releaseView,
  runJobPod,
  s3aLocation,
  standaloneJobPod,
  type Check,
  type JobRun as PodRun,
} from "./jobs";
import { kubectl, liveSkipped, minio, note, portForward } from "./support";

// ---------------------------------------------------------------------------------------
// Pure parts

export const KPIS_SCRIPT = "kpis_job.py";

/** Writes of `tasksPerStage` tasks each: one Spark job of one stage per write. */
export interface JobShape {
  readonly stages: number;
  readonly tasksPerStage: number;
}

/** The job both releases run (kpis_job.py, KPIS_ROLE=job). */
export const KNOWN_SHAPE: JobShape = { stages: 3, tasksPerStage: 4 };

/**
 * One filler round: untagged writes on the Connect server that only add events to its
 * event log, so the file holding the job's end reaches the roll size and closes.
 */
export const FILLER_ROUND: JobShape = { stages: 4, tasksPerStage: 100 };

/** The busy load: a session writing this much while the job runs and is waited for. */
export const BUSY_LOAD: JobShape = { stages: 40, tasksPerStage: 100 };

/** The environment of kpis_job.py. */
export function kpisEnv(
  role: "job" | "filler",
  job: string,
  shape: JobShape,
): { name: string; value: string }[] {
  return [
    { name: "KPIS_ROLE", value: role },
    { name: "KPIS_JOB", value: job },
    { name: "KPIS_STAGES", value: String(shape.stages) },
    { name: "KPIS_TASKS", value: String(shape.tasksPerStage) },
  ];
}

interface PodLike {
  readonly spec: { readonly containers: readonly { args: string[]; env?: unknown[] }[] };
}

/**
 * A job pod of jobs.ts (standaloneJobPod, connectJobPod) made to run kpis_job.py: its
 * script argument (the last one) replaced, `--name` (spark-submit) set to `appName`, and
 * kpis_job.py's environment added.
 */
export function asKpisPod<T extends PodLike>(
  pod: T,
  appName: string,
  env: readonly { name: string; value: string }[],
): T {
  const [container, ...others] = pod.spec.containers;
  if (!container) throw new Error("a job pod without a container");
  const args = [...container.args];
  args[args.length - 1] = `${SCRIPTS_DIR}/${KPIS_SCRIPT}`;
  const name = args.indexOf("--name");
  if (name >= 0) args[name + 1] = appName;
  return {
    ...pod,
    spec: {
      ...pod.spec,
      containers: [{ ...container, args, env: [...(container.env ?? []), ...env] }, ...others],
    },
  };
}

/** What kpis_job.py prints on success. */
export interface KpisJobResult {
  readonly mode: string;
  readonly role: string;
  readonly sparkVersion: string;
  readonly stages: number;
  readonly tasks: number;
  readonly startedMs: number;
  readonly endedMs: number;
}

export function parseKpisResult(log: string): KpisJobResult | undefined {
  const line = log.split("\n").find((l) => l.startsWith("IT-KPIS "));
  return line ? (JSON.parse(line.slice("IT-KPIS ".length)) as KpisJobResult) : undefined;
}

/** How a release's column of the report departs from the known shape (empty: it matches). */
export function shapeComplaints(
  kpis: ReleaseKpis | undefined,
  shape: JobShape,
  expectRunningApp: boolean,
): string[] {
  if (!kpis) return ["no column in the report"];
  const at = kpis.release;
  if (kpis.runs === 0) return [`${at}: no run yet`];
  const complaints: string[] = [];
  if (kpis.runs !== 1) complaints.push(`${at}: ${kpis.runs} runs, expected 1`);
  const { stages, tasks, failedTasks } = kpis.meanPerRun;
  if (stages !== shape.stages) complaints.push(`${at}: ${stages} stages, expected ${shape.stages}`);
  const expectedTasks = shape.stages * shape.tasksPerStage;
  if (tasks !== expectedTasks) complaints.push(`${at}: ${tasks} tasks, expected ${expectedTasks}`);
  if (failedTasks !== 0) complaints.push(`${at}: ${failedTasks} failed tasks`);
  if (expectRunningApp && kpis.runningApplications.length === 0) {
    complaints.push(`${at}: the run is not marked as running-app data`);
  }
  if (!expectRunningApp && kpis.runningApplications.length > 0) {
    complaints.push(`${at}: the run comes from a running application`);
  }
  return complaints;
}

/**
 * From a tagged run's end (its last Spark job's completion, the server's clock) to when
 * the History Server first showed it whole; undefined for a run without a duration.
 */
export function visibilityDelayMs(run: KpiRun, seenAtMs: number): number | undefined {
  if (run.durationMs === undefined) return undefined;
  return seenAtMs - (Date.parse(run.started) + run.durationMs);
}

/** The objects of one application's rolling event log, as listed in the bucket. */
export interface EventLogObjects {
  /** `events_<n>_<appId>` files, closed (an open one is not listed on S3). */
  readonly files: number;
  readonly bytes: number;
  /** From the `appstatus_<appId>[.inprogress]` marker. */
  readonly inProgress: boolean | undefined;
}

export function eventLogObjects(
  objects: readonly { name: string; size: number }[],
  appId: string,
): EventLogObjects {
  const mine = objects.filter((o) => o.name.includes(`/eventlog_v2_${appId}/`));
  const base = (name: string) => name.slice(name.lastIndexOf("/") + 1);
  const events = mine.filter((o) => base(o.name).startsWith("events_"));
  const status = mine.map((o) => base(o.name)).find((n) => n.startsWith("appstatus_"));
  return {
    files: events.length,
    bytes: events.reduce((total, o) => total + o.size, 0),
    inProgress: status === undefined ? undefined : status.endsWith(".inprogress"),
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------
// Live parts

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long the light-load phase waits with no other work before filler rounds start. */
const LIGHT_WAIT_MS = Number(process.env["SPARK_PLATFORM_KPIS_LIGHT_WAIT_MS"] ?? 180_000);
const MAX_FILLER_ROUNDS = 12;
const POLL_MS = 5_000;

interface Context {
  readonly namespaceOf: NamespaceOf;
  readonly config: PlatformConfig;
  readonly job: string;
  readonly historyUrls: Readonly<Record<ReleaseName, string>>;
  readonly log: (line: string) => void;
}

/** Runs kpis_job.py once as a client pod of the release; throws when it fails. */
async function runKpisPod(
  ctx: Context,
  release: ReleaseName,
  role: "job" | "filler",
  shape: JobShape,
  options: { wait?: boolean } = {},
): Promise<{ run?: PodRun; result?: KpisJobResult; runId: string }> {
  const runId = newRunId();
  const scripts = `it-kpis-${runId}`;
  const view = await releaseView(release, ctx.namespaceOf[release]);
  await create(
    scriptsConfigMap(scripts, CLIENT_PLACEMENT.namespace, runId, {
      [KPIS_SCRIPT]: readScript(KPIS_SCRIPT),
      // kpis_job.py connects to Connect with it_job.py's connect_url (the mounted token).
      [JOB_SCRIPT]: readScript(JOB_SCRIPT),
    }),
  );
  const client = await prepareClientSide(view, runId);
  const target = { name: `kpis-${role}-${release}` };
  const base =
    release === "spark-35"
      ? standaloneJobPod(view, client, runId, scripts, target).pod
      : connectJobPod(view, client, runId, scripts, target);
  const pod = asKpisPod(
    base as unknown as PodLike & Record<string, unknown>,
    role === "job" ? ctx.job : "it-kpis-filler",
    kpisEnv(role, ctx.job, shape),
  );
  if (options.wait === false) {
    await create(pod);
    return { runId };
  }
  try {
    const run = await runJobPod(pod, release, 900_000);
    // The whole log: a 3.5 driver's shutdown lines can push the result out of the tail.
    const result = parseKpisResult(await podLogs(run.namespace, run.pod));
    if (run.phase !== "Succeeded" || !result) {
      throw new Error(
        `${run.pod}: ${run.phase}${run.errorLine ? `: ${run.errorLine}` : ""}\n${run.logTail}`,
      );
    }
    return { run, result, runId };
  } finally {
    await deleteRun(runId, [CLIENT_PLACEMENT.namespace]);
  }
}

/** job-kpis as the command computes it: both History Servers, runs since `since`. */
async function readReport(
  ctx: Context,
  since: number,
): Promise<{
  report: JobKpisReport;
  runs: KpiRun[];
}> {
  const runs: KpiRun[] = [];
  for (const release of ["spark-35", "spark-41"] as const) {
    const histories = await fetchApplicationHistories(
      ctx.historyUrls[release],
      [ctx.job],
      fetch as unknown as FetchLike,
    );
    runs.push(...histories.flatMap((h) => runsOf(release, h, [ctx.job], since)));
  }
  return { report: jobKpis(ctx.config, runs, { since, onlyJob: ctx.job }), runs };
}

const column = (report: JobKpisReport, release: ReleaseName) =>
  report.jobs[0]?.releases.find((r) => r.release === release);

/** The Connect server's event-log objects of an application, listed in the bucket. */
async function connectEventLog(ctx: Context, appId: string): Promise<EventLogObjects> {
  const release = ctx.config.releases.find((r) => r.name === "spark-41")!;
  const { bucket, prefix } = s3aLocation(release.history.eventLogDir);
  const client = await minio();
  const objects: { name: string; size: number }[] = [];
  await new Promise<void>((resolve, reject) => {
    const stream = client.listObjectsV2(bucket, `${prefix}/eventlog_v2_${appId}/`, true);
    stream.on("data", (o: { name?: string; size?: number }) =>
      objects.push({ name: o.name ?? "", size: o.size ?? 0 }),
    );
    stream.on("end", () => resolve());
    stream.on("error", reject);
  });
  return eventLogObjects(objects, appId);
}

/**
 * Polls until spark-41's column matches the shape (and spark-35's, when asked), running a
 * filler round on spark-41 whenever `fillerAfterMs` passed since the last one.
 */
async function waitForShape(
  ctx: Context,
  since: number,
  options: { fillerAfterMs?: number; with35?: boolean; deadlineMs: number },
): Promise<{
  report: JobKpisReport;
  runs: KpiRun[];
  seenAt: number;
  fillerRounds: number;
  firstFillerAt?: number;
}> {
  const deadline = Date.now() + options.deadlineMs;
  let fillerRounds = 0;
  let firstFillerAt: number | undefined;
  let lastWork = Date.now();
  let last = "not read yet";
  while (Date.now() < deadline) {
    const { report, runs } = await readReport(ctx, since).catch((error: Error) => {
      last = error.message;
      return { report: undefined, runs: [] };
    });
    if (report) {
      const complaints = [
        ...shapeComplaints(column(report, "spark-41"), KNOWN_SHAPE, true),
        ...(options.with35 ? shapeComplaints(column(report, "spark-35"), KNOWN_SHAPE, false) : []),
      ];
      if (complaints.length === 0) {
        return {
          report,
          runs,
          seenAt: Date.now(),
          fillerRounds,
          ...(firstFillerAt ? { firstFillerAt } : {}),
        };
      }
      last = complaints.join("; ");
    }
    if (options.fillerAfterMs !== undefined && Date.now() - lastWork >= options.fillerAfterMs) {
      if (fillerRounds >= MAX_FILLER_ROUNDS) break;
      fillerRounds += 1;
      firstFillerAt ??= Date.now();
      ctx.log(`filler round ${fillerRounds} (${last})`);
      await runKpisPod(ctx, "spark-41", "filler", FILLER_ROUND);
      lastWork = Date.now();
      continue;
    }
    await sleep(POLL_MS);
  }
  throw new Error(`job-kpis never showed the known shape: ${last}`);
}

export async function checkJobKpisLive(
  namespaceOf: NamespaceOf,
  config: PlatformConfig,
  options: { readonly log?: (line: string) => void } = {},
): Promise<Check> {
  const log = options.log ?? (() => {});
  const name = "job KPIs of the same job on both releases while the Connect server runs";
  const facts: string[] = [];
  const complaints: string[] = [];
  const job = config.jobs[0]?.id;
  if (!job) return { name, complaints: ["the stack has no spark-platform:jobs"], facts };
  const defaults41 = (await releaseView("spark-41", namespaceOf["spark-41"])).defaults;
  const rolling = defaults41["spark.eventLog.rolling.maxFileSize"];
  if (defaults41["spark.eventLog.rolling.enabled"] !== "true" || !rolling) {
    return {
      name,
      complaints: [
        "spark-41's spark-defaults do not roll the event log: apply this revision first",
      ],
      facts,
    };
  }
  facts.push(`spark-41 rolls its event log at ${rolling}`);
  const forwards = await Promise.all(
    (["spark-35", "spark-41"] as const).map((r) =>
      portForward(namespaceOf[r], `svc/${releaseNames(r).history}`, PORTS.historyUi),
    ),
  );
  const ctx: Context = {
    namespaceOf,
    config,
    job,
    historyUrls: { "spark-35": forwards[0]!.url, "spark-41": forwards[1]!.url },
    log,
  };
  const server = async () =>
    (
      await kubectl([
        "get",
        "pods",
        "-n",
        namespaceOf["spark-41"],
        "-l",
        `${RELEASE_LABEL}=spark-41,app.kubernetes.io/component=connect`,
        "-o",
        "jsonpath={.items[*].metadata.uid}",
      ])
    ).stdout.trim();
  try {
    const serverBefore = await server();
    // Light load: the job on both releases, nothing else on the Connect server.
    const since = Date.now();
    const r35 = await runKpisPod(ctx, "spark-35", "job", KNOWN_SHAPE);
    log(`spark-35: ${r35.run!.pod} in ${r35.run!.seconds}s`);
    const r41 = await runKpisPod(ctx, "spark-41", "job", KNOWN_SHAPE);
    log(`spark-41: ${r41.run!.pod} in ${r41.run!.seconds}s`);
    const light = await waitForShape(ctx, since, {
      with35: true,
      fillerAfterMs: LIGHT_WAIT_MS,
      deadlineMs: LIGHT_WAIT_MS + (MAX_FILLER_ROUNDS + 1) * 120_000,
    });
    const run41 = light.runs.find((r) => r.release === "spark-41")!;
    const lightDelay = visibilityDelayMs(run41, light.seenAt);
    const fillerTasks = light.fillerRounds * FILLER_ROUND.stages * FILLER_ROUND.tasksPerStage;
    const objects = await connectEventLog(ctx, run41.applicationId);
    facts.push(
      `light load: spark-41's run visible ${lightDelay === undefined ? "n/a" : seconds(lightDelay)} after its end (client saw the end at ${new Date(r41.result!.endedMs).toISOString()}), after ${light.fillerRounds} filler rounds (${fillerTasks} filler tasks; ${seconds(LIGHT_WAIT_MS)} without any first)`,
      ...(light.firstFillerAt
        ? [
            `light load: visible ${seconds(light.seenAt - light.firstFillerAt)} after the first filler round started`,
          ]
        : []),
      `spark-41's event log then: ${objects.files} closed files, ${objects.bytes} bytes, in progress: ${objects.inProgress}`,
    );
    log(`report:\n${formatJobKpisMarkdown(light.report)}`);
    for (const release of ["spark-35", "spark-41"] as const) {
      complaints.push(
        ...shapeComplaints(column(light.report, release), KNOWN_SHAPE, release === "spark-41"),
      );
    }
    if (objects.inProgress !== true) {
      complaints.push("spark-41's application is not in progress: did the server restart?");
    }

    // Busy load: another session writes while the job runs again and is waited for.
    const busySince = Date.now();
    const busy = await runKpisPod(ctx, "spark-41", "filler", BUSY_LOAD, { wait: false });
    try {
      await sleep(15_000);
      const again = await runKpisPod(ctx, "spark-41", "job", KNOWN_SHAPE);
      // Filler rounds only if the busy session ended before the job's end was rolled out.
      const seen = await waitForShape(ctx, busySince, {
        fillerAfterMs: 180_000,
        deadlineMs: 15 * 60_000,
      });
      const busyRun = seen.runs.find((r) => r.release === "spark-41")!;
      const busyDelay = visibilityDelayMs(busyRun, seen.seenAt);
      facts.push(
        `busy load (${BUSY_LOAD.stages * BUSY_LOAD.tasksPerStage} filler tasks from another session alongside): spark-41's run visible ${busyDelay === undefined ? "n/a" : seconds(busyDelay)} after its end (client saw the end at ${new Date(again.result!.endedMs).toISOString()}), filler rounds after the busy session: ${seen.fillerRounds}`,
      );
    } finally {
      await deleteRun(busy.runId, [CLIENT_PLACEMENT.namespace]);
    }
    if ((await server()) !== serverBefore) {
      complaints.push("the Connect server pod changed during the check: it must keep running");
    }
  } catch (error) {
    complaints.push((error as Error).message);
  } finally {
    for (const f of forwards) f.stop();
  }
  return { name, complaints, facts };
}

/** The live suite's test (platform.test.ts, local stack); SPARK_PLATFORM_LIVE_SKIP=job-kpis skips it. */
export function jobKpisLiveChecks(namespaceOf: NamespaceOf, config: PlatformConfig): void {
  it("job-kpis: the same job on spark-35 and on spark-41 (Connect server kept running) shows with its known stages and tasks, and the delay to visibility is measured", async function () {
    this.timeout(45 * 60_000);
    if (liveSkipped("job-kpis")) this.skip();
    const check = await checkJobKpisLive(namespaceOf, config, {
      log: (line) => note(`job-kpis: ${line}`),
    });
    for (const fact of check.facts) note(fact);
    expect(check.complaints, check.facts.join("\n")).to.deep.equal([]);
  });
}

// ---------------------------------------------------------------------------------------
// Self-test: npx tsx tests/cluster/jobKpisLive.ts --run [--prod]

if (require.main === module && process.argv.includes("--run")) {
  void (async () => {
    const prod = process.argv.includes("--prod");
    const config = localStackConfig(prod ? "local-prod" : "local");
    await ensureClientNamespaces(config);
    const namespaceOf = prod
      ? { "spark-35": "spark-35", "spark-41": "spark-41" }
      : { "spark-35": "spark", "spark-41": "spark" };
    const check = await checkJobKpisLive(namespaceOf, config, {
      log: (l) => console.log(`[job-kpis] ${l}`),
    });
    console.log(`${check.complaints.length ? "FAIL" : "ok  "} ${check.name}`);
    for (const f of check.facts) console.log(`       ${f}`);
    for (const c of check.complaints) console.log(`    !! ${c}`);
    process.exit(check.complaints.length ? 1 : 0);
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(2);
  });
}
