// The context every fault runs in, on a stack already applied and Ready: the run's job
// scripts and client sides, each release's event-log prefix, and what exists before the
// first fault (a baseline job per release: its table, and 3.5's finished application),
// which every later fault must leave intact. Shared by the fault suite and the live
// suite's CI faults (tests/cluster/platform.test.ts).
import { RELEASES, type NamespaceOf, type ReleaseName } from "../cluster/clients";
import { note } from "../cluster/support";
import type { FaultContext } from "./faultCase";
import { prepareFaultJobs, runJob } from "./faultJobs";

export interface PreparedFaults {
  readonly ctx: FaultContext;
  /** The 4.1 baseline session's application (closed only when its server goes). */
  readonly baseline41App: string | undefined;
}

export async function prepareFaultContext(
  runId: string,
  namespaceOf: NamespaceOf,
  baselineReleases: readonly ReleaseName[] = RELEASES,
): Promise<PreparedFaults> {
  const jobs = await prepareFaultJobs(runId, namespaceOf);
  const ctx: FaultContext = {
    jobs,
    namespaceOf,
    eventLogDirs: {
      "spark-35": jobs.views["spark-35"].defaults["spark.eventLog.dir"] ?? "",
      "spark-41": jobs.views["spark-41"].defaults["spark.eventLog.dir"] ?? "",
    },
    retained: { tables: [], applications: [] },
  };
  // Both at once: they touch different releases.
  const baselines = await Promise.all(
    baselineReleases.map((release) => runJob(jobs, release, "baseline")),
  );
  let baseline41App: string | undefined;
  for (const [i, release] of baselineReleases.entries()) {
    const run = baselines[i]!;
    if (run.phase !== "Succeeded") throw new Error(`baseline ${release}: ${run.logTail}`);
    ctx.retained.tables.push({ release, database: run.result!.database! });
    if (release === "spark-35")
      ctx.retained.applications.push({ release, appId: run.result!.applicationId! });
    else baseline41App = run.result!.applicationId ?? undefined;
    note(`baseline ${release}: ${run.pod} in ${run.seconds} s, app ${run.result?.applicationId}`);
  }
  return { ctx, baseline41App };
}
