// Fault suite (npm run test:faults, docs/faults.md): the `local` stack applied by the real
// engine to the two-node local cluster (a fresh stack per run, destroyed at the end), then
// one fault at a time while a real job runs on the release it hits. Each fault asserts
// that the job completed or failed with a clear error, that a re-run completes, that no
// metastore row or finished application's event log was lost, that every pod is Ready
// again, and measures fault -> all Ready and fault -> next job done. The table of every
// fault is printed at the end.
import { expect } from "chai";
import type { PreparedStack } from "../../tools/engine/workspace";
import { platformComplaints } from "../../tools/kubectl/readiness";
import {
  CLIENT_PLACEMENT,
  deleteRun,
  ensureClientNamespaces,
  localStackConfig,
  newRunId,
  RELEASES,
  type NamespaceOf,
} from "../cluster/clients";
import { executorPods, ownedBy } from "../cluster/jobs";
import { note, output, prepareLocal, up, waitUntil } from "../cluster/support";
import { historyApplications } from "../cluster/history";
import { killPod, readyPod, restartService } from "./faultChecks";
import { runFault, type FaultContext, type FaultSpec } from "./faultCase";
import { prepareFaultContext } from "./faultContext";
import { masterKillFault } from "./masterKillFault";
import { faultTable, secondsBetween, type FaultRow } from "./faultReport";
import { LOAD, runLoad, smokeSubmit } from "./loadAndSmoke";
import { clusterRestartFault, drainFault, withFaultWorkers } from "./nodeFaults";
import { rawConfigFromStackFile } from "../../lib/config/sources";
import { stackFilePath } from "../../tools/cli/stackFiles";

const NAMESPACE_OF: NamespaceOf = { "spark-35": "spark", "spark-41": "spark" };
const NS = "spark";
const READY_TIMEOUT_MS = 12 * 60_000;
/** FAULTS_DEADLINE (an ISO time): faults not started by then are skipped and shown as not run. */
const DEADLINE = process.env["FAULTS_DEADLINE"]
  ? Date.parse(process.env["FAULTS_DEADLINE"])
  : Number.POSITIVE_INFINITY;

/** Every fault the suite knows, in order; those not run appear in the table as such. */
const rows: FaultRow[] = [];

describe("live faults: jobs running through faults on the local stack (two nodes)", function () {
  this.timeout(20 * 60_000);
  let prepared: PreparedStack | undefined;
  let ctx: FaultContext | undefined;
  const runId = newRunId();

  before(async function () {
    this.timeout(READY_TIMEOUT_MS + 20 * 60_000);
    await ensureClientNamespaces(localStackConfig("local"));
    // Two 3.5 workers, so the drain meets the platform's own worker budget.
    const stackReleases = rawConfigFromStackFile(stackFilePath("local")).values["releases"];
    prepared = await prepareLocal("local", {
      releases: withFaultWorkers(stackReleases as Record<string, unknown>[]),
    });
    const started = Date.now();
    const summary = await up(prepared.stack);
    await waitUntil("local all Ready", READY_TIMEOUT_MS, async () => {
      const complaints = await platformComplaints([NS]);
      return complaints.length ? complaints.join("; ") : undefined;
    });
    note(
      `local: up and all Ready in ${((Date.now() - started) / 1000).toFixed(0)} s (${JSON.stringify(summary)})`,
    );
    const faults = await prepareFaultContext(runId, NAMESPACE_OF);
    ctx = faults.ctx;
    baseline41App = faults.baseline41App;
  });

  after(async function () {
    this.timeout(20 * 60_000);
    await deleteRun(runId, [CLIENT_PLACEMENT.namespace]);
    if (prepared)
      await prepared.stack
        .destroy({ onOutput: output, excludeProtected: true })
        .catch((e: unknown) => note(`destroy failed: ${(e as Error).message}`));
    console.log(`\nFaults (run ${runId}, ${new Date().toISOString()}):\n${faultTable(rows)}\n`);
  });

  let baseline41App: string | undefined;

  /** Runs a fault, records its row (whatever happens) and asserts it held. */
  const fault = (title: string, spec: () => FaultSpec) =>
    it(title, async function () {
      const s = spec();
      if (Date.now() > DEADLINE) {
        rows.push({ fault: s.fault, outcome: "not run", detail: "FAULTS_DEADLINE had passed" });
        this.skip();
      }
      try {
        const result = await runFault(ctx!, s);
        rows.push(result.row);
        note(`row: ${faultTable([result.row]).split("\n")[2]}`);
        for (const fact of result.facts) note(`${s.fault}: ${fact}`);
        expect(result.complaints, result.facts.join("\n")).to.deep.equal([]);
      } catch (e) {
        if (!rows.some((r) => r.fault === s.fault))
          rows.push({
            fault: s.fault,
            outcome: "failed",
            detail: (e as Error).message.split("\n")[0]!,
          });
        throw e;
      }
    });

  // 1. The 3.5 master: recovery from its FILESYSTEM state on the recovery claim.
  fault(
    "the 3.5 master pod killed during a spark-submit job: workers and the application re-register from the recovery state @ci",
    () => masterKillFault(NS),
  );

  // 2. A 3.5 worker: its executor dies with it; the application gets one on the new worker.
  fault("a 3.5 worker pod killed during a spark-submit job", () => {
    let killed = "";
    return {
      fault: "3.5 worker killed",
      release: "spark-35",
      job: "worker",
      before: async () => {
        killed = (await readyPod(NS, "spark-35", "worker")).metadata.name;
      },
      inject: async () => {
        await killPod(NS, killed);
        return [killed];
      },
    };
  });

  // 3. The 4.1 Connect server: the session's client gets a clear error, a new session works,
  // the old server's executors go with it, its application's event log is closed and listed.
  fault(
    "the 4.1 Connect server pod killed during a session: a clear error, a new session works, no orphaned executors",
    () => {
      let server: Awaited<ReturnType<typeof readyPod>> | undefined;
      let executors: string[] = [];
      return {
        fault: "4.1 Connect server killed",
        release: "spark-41",
        job: "connect",
        jobMust: "fail clearly",
        before: async () => {
          server = await readyPod(NS, "spark-41", "connect");
          executors = (await executorPods(NS))
            .filter((p) => ownedBy(p, server!))
            .map((p) => p.metadata.name);
        },
        inject: async () => {
          await killPod(NS, server!.metadata.name);
          return [server!.metadata.name, ...executors];
        },
        afterwards: async () => {
          const orphans = (await executorPods(NS)).filter((p) => ownedBy(p, server!));
          if (baseline41App)
            ctx!.retained.applications.push({ release: "spark-41", appId: baseline41App });
          return {
            complaints: orphans.map((p) => `executor ${p.metadata.name} outlived its server`),
            facts: [
              `the old server's executors ${executors.join(", ") || "(none)"} are gone; its application ${baseline41App ?? "?"} must now be listed by spark-41-history`,
            ],
          };
        },
      };
    },
  );

  // 4. A 4.1 executor: lost tasks run again on the executor the server starts instead.
  fault("a 4.1 executor pod killed: the job retries its lost tasks and completes", () => {
    let killed = "";
    return {
      fault: "4.1 executor killed",
      release: "spark-41",
      job: "executor",
      jobMust: "complete",
      before: async () => {
        const server = await readyPod(NS, "spark-41", "connect");
        const own = (await executorPods(NS)).filter(
          (p) => ownedBy(p, server) && p.status?.["phase"] === "Running",
        );
        if (!own[0]) throw new Error("no running executor of the Connect server");
        killed = own[0].metadata.name;
      },
      inject: async () => {
        await killPod(NS, killed);
        return [killed];
      },
    };
  });

  // 5. Each metastore.
  for (const release of RELEASES)
    fault(`the ${release} metastore pod killed during a job that writes to it`, () => {
      let killed = "";
      return {
        fault: `${release} metastore killed`,
        release,
        job: "metastore",
        before: async () => {
          killed = (await readyPod(NS, release, "metastore")).metadata.name;
        },
        inject: async () => {
          await killPod(NS, killed);
          return [killed];
        },
      };
    });

  // 6. Each History Server: it lists the same applications again.
  for (const release of RELEASES)
    fault(`the ${release} History Server pod killed: it lists the same applications again`, () => {
      let killed = "";
      let listed: string[] = [];
      return {
        fault: `${release} History Server killed`,
        release,
        job: "history",
        before: async () => {
          killed = (await readyPod(NS, release, "history")).metadata.name;
          listed = (await historyApplications(NS, release)).map((a) => a.id);
        },
        inject: async () => {
          await killPod(NS, killed);
          return [killed];
        },
        afterwards: async () => {
          let missing: string[] = listed;
          await waitUntil(`${release}-history lists the same applications`, 180_000, async () => {
            const now = (await historyApplications(NS, release).catch(() => [])).map((a) => a.id);
            missing = listed.filter((id) => !now.includes(id));
            return missing.length ? `missing ${missing.join(", ")}` : undefined;
          }).catch(() => {});
          return {
            complaints: missing.map((id) => `${release}-history no longer lists ${id}`),
            facts: [`${release}-history listed ${listed.length} before the kill, all again after`],
          };
        },
      };
    });

  // 7, 8. The shared services on the host.
  fault("PostgreSQL restarted on the host during a job that uses the metastore", () => ({
    fault: "PostgreSQL restarted",
    release: "spark-35",
    job: "postgres",
    inject: async () => {
      note(await restartService("postgresql"));
      return [];
    },
  }));

  fault("MinIO restarted on the host during a job", () => ({
    fault: "MinIO restarted",
    release: "spark-41",
    job: "minio",
    inject: async () => {
      note(await restartService("minio"));
      return [];
    },
  }));

  // Plus: the old charts' smoke test and a load of concurrent jobs on both releases.
  it("smoke: spark-submit inside the 3.5 master's pod to spark://$(hostname -i):7077, event log on s3a @ci", async () => {
    const started = Date.now();
    const smoke = await smokeSubmit(NAMESPACE_OF, ctx!.eventLogDirs["spark-35"]);
    for (const fact of smoke.facts) note(fact);
    rows.push({
      fault: "smoke: spark-submit in the master pod",
      outcome: smoke.complaints.length ? "failed" : "passed",
      detail:
        [...smoke.facts, ...smoke.complaints].join("; ") ||
        `${secondsBetween(started, Date.now())} s`,
    });
    expect(smoke.complaints).to.deep.equal([]);
  });

  it(`load: ${LOAD["spark-41"]} Connect sessions on 4.1 and ${LOAD["spark-35"]} spark-submits on 3.5 at once all complete`, async () => {
    const { runs, wallSeconds, summary } = await runLoad(ctx!.jobs);
    const detail = `${summary.completed}/${runs.length} completed in ${wallSeconds} s (${summary.perMinute} jobs/min), slowest ${summary.slowest?.pod} ${summary.slowest?.seconds} s`;
    note(`load: ${detail}`);
    for (const r of runs) note(`load: ${r.pod} ${r.phase} in ${r.seconds} s`);
    rows.push({
      fault: "load: 8 Connect + 4 spark-submit",
      outcome: summary.failed.length ? "failed" : "passed",
      detail: summary.failed.length ? `${detail}; failed: ${summary.failed.join(", ")}` : detail,
    });
    expect(summary.failed).to.deep.equal([]);
  });

  // 9, 10. Whole nodes: spark-node-2 drained with the job's executor on it; the whole
  // cluster stopped and started (last: everything restarts).
  fault(
    "spark-node-2 drained with a 3.5 job's executor on it, within the PodDisruptionBudgets, then uncordoned",
    () => drainFault(NS),
  );

  fault(
    "the whole cluster stopped and started (down, up): the stack comes back without pulumi up and a second up changes nothing",
    () => clusterRestartFault(() => prepared!),
  );
});
