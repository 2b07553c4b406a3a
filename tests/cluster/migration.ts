// Live migration walk: docs/migration-runbook.md's four phases and its rollback,
// on the `local` stack, with the runbook's own commands (`pulumi config set --path`,
// `npm run check-config`, `npm run migration-status`, `pulumi preview --diff`, up) in the
// stack's workspace. Jobs take their route from the `jobRouting` stack output and run
// from a client pod of the routed release, as a user's job does.
import { expect } from "chai";
import type { PreparedStack } from "../../tools/engine/workspace";
import { RELEASE_LABEL } from "../../lib/kube/objects";
import type { JobRoute } from "../../lib/contract/outputs";
import { releaseNames } from "../../lib/naming/names";
import type { NamespaceOf, ReleaseName } from "./clients";
import {
  EXPECTED_ROWS,
  listKeys,
  metastoreRows,
  runRoutedJob,
  s3aLocation,
  type JobRun,
} from "./jobs";
import { eventLogDirs } from "./benchmark";
import { historyApplications } from "./history";
import { platformComplaints, podUids } from "../../tools/kubectl/readiness";
import {
  configSet,
  kubectl,
  note,
  pulumiCli,
  RUN,
  shell,
  stackFileOf,
  up,
  waitUntil,
  withPg,
} from "./support";

/** The committed local stack's jobs, in the runbook's order (`jobs[0]`..`jobs[2]`). */
const JOBS = ["daily-sales-rollup", "customer-churn-features", "clickstream-sessionize"] as const;
const READY_MS = 12 * 60_000;

interface StatusJson {
  readonly phase: string;
  readonly blockers: readonly { key: string; message?: string }[];
  readonly pilotJobs: readonly string[];
}

/** `npm run migration-status -- --file <stack file> --json`. */
async function migrationStatus(prepared: PreparedStack): Promise<StatusJson> {
  const result = await shell(
    `npm run --silent migration-status -- --file ${stackFileOf(prepared)} --json`,
  );
  if (result.code !== 0) throw new Error(`migration-status: ${result.stderr}`);
  return JSON.parse(result.stdout) as StatusJson;
}

/** `npm run check-config -- <stack file>`. */
async function checkConfig(prepared: PreparedStack) {
  return shell(`npm run --silent check-config -- ${stackFileOf(prepared)}`);
}

async function routes(prepared: PreparedStack): Promise<Record<string, JobRoute>> {
  const outputs = await prepared.stack.outputs();
  return outputs["jobRouting"]?.value as Record<string, JobRoute>;
}

interface PreviewStep {
  readonly op: string;
  readonly urn: string;
}

/** `pulumi preview --diff --json`: the steps the engine would take. */
async function previewSteps(prepared: PreparedStack): Promise<PreviewStep[]> {
  const result = await pulumiCli(prepared, ["preview", "--diff", "--json"]);
  if (result.code !== 0) throw new Error(`pulumi preview: ${result.stderr || result.stdout}`);
  const json = JSON.parse(result.stdout) as { steps?: PreviewStep[] };
  return json.steps ?? [];
}

const nameOf = (urn: string) => urn.split("::").pop() ?? urn;
const typeOf = (urn: string) => urn.split("::")[2]?.split("$").pop() ?? "";

/** Names of the resources that hold spark-35's data (not the Kubernetes Secret of the same name). */
export const RETAINED = [
  "spark-35-metastore-db",
  "spark-35-metastore-role",
  "spark-35-event-log-prefix",
] as const;

const isData = (urn: string) =>
  (RETAINED as readonly string[]).includes(nameOf(urn)) && !typeOf(urn).startsWith("kubernetes:");

/**
 * What the runbook says a decommission preview must show, as complaints: deletes of
 * spark-35's Kubernetes objects (and the components that grouped them) only; nothing
 * done to its database, role and prefix; nothing of spark-41 changed. `pulumi preview
 * --json` lists changed steps only, so an unchanged resource is simply absent.
 */
export function decommissionPreviewComplaints(steps: readonly PreviewStep[]): string[] {
  const complaints: string[] = [];
  for (const step of steps) {
    const name = nameOf(step.urn);
    const type = typeOf(step.urn);
    if (step.op === "same" || step.op === "read") continue;
    if (isData(step.urn)) complaints.push(`${step.op} of retained ${type} ${name}`);
    else if (name.includes("spark-41")) complaints.push(`${step.op} of spark-41's ${name}`);
    else if (step.op === "delete") {
      if (!type.startsWith("kubernetes:") && !type.startsWith("spark-platform:"))
        complaints.push(`delete of non-Kubernetes ${type} ${name}`);
      else if (!name.includes("spark-35")) complaints.push(`delete of ${name}, not spark-35's`);
    } else if (type !== "pulumi:pulumi:Stack") complaints.push(`${step.op} of ${type} ${name}`);
  }
  if (!steps.some((s) => s.op === "delete")) complaints.push("no deletes at all");
  return complaints;
}

/** Which objects of a release are left, by kind (namespaced and cluster-scoped). */
async function releaseObjects(release: ReleaseName, namespace: string): Promise<string[]> {
  const selector = `${RELEASE_LABEL}=${release}`;
  const namespaced = await kubectl([
    "get",
    "deployments,services,serviceaccounts,roles,rolebindings,configmaps,secrets,networkpolicies,poddisruptionbudgets,jobs",
    "-n",
    namespace,
    "-l",
    selector,
    "-o",
    "name",
  ]);
  const cluster = await kubectl([
    "get",
    "validatingadmissionpolicies,validatingadmissionpolicybindings",
    "-l",
    selector,
    "-o",
    "name",
  ]);
  return `${namespaced.stdout}\n${cluster.stdout}`.split("\n").filter(Boolean);
}

function jobComplaints(run: JobRun, what: string): string[] {
  if (run.phase !== "Succeeded") return [`${what}: pod ${run.pod} ${run.phase}:\n${run.logTail}`];
  const rows = run.result?.rows;
  return JSON.stringify(rows) === JSON.stringify(EXPECTED_ROWS)
    ? []
    : [`${what}: read back ${JSON.stringify(rows)}, expected ${JSON.stringify(EXPECTED_ROWS)}`];
}

/**
 * Registers the walk as ordered `it`s of a stack's describe (call after the stack is up
 * and Ready; `current()` gives its prepared stack). Ends with spark-35 active again.
 */
export function migrationWalk(current: () => PreparedStack, namespaceOf: NamespaceOf): void {
  const database = `mig_${RUN}_daily_sales_rollup`;
  let phase1: JobRun | undefined;
  const ns35 = namespaceOf["spark-35"];
  const ns41 = namespaceOf["spark-41"];
  const log = (line: string) => note(`migration: ${line}`);

  it("migration phase 1, parallel: every job routed to spark-35 runs there", async function () {
    this.timeout(15 * 60_000);
    const prepared = current();
    const status = await migrationStatus(prepared);
    expect(status.phase, "migration-status").to.equal("parallel");
    const route = (await routes(prepared))[JOBS[0]]!;
    expect(route.release).to.equal("spark-35");
    expect(route.connectionUrl).to.match(/^spark:\/\/spark-35-master\./);
    phase1 = await runRoutedJob({ release: "spark-35", connectionUrl: route.connectionUrl }, ns35, {
      database,
      name: JOBS[0],
    });
    log(`${JOBS[0]} on ${route.connectionUrl}: ${phase1.phase} in ${phase1.seconds}s`);
    expect(jobComplaints(phase1, JOBS[0])).to.deep.equal([]);
  });

  it("migration phase 2, pilot: the runbook's commands move one job; jobRouting and the job follow", async function () {
    this.timeout(15 * 60_000);
    const prepared = current();
    await configSet(prepared, "spark-platform:jobs[2].release", "spark-41");
    await configSet(prepared, "spark-platform:jobs[2].pilot", "true");
    const check = await checkConfig(prepared);
    expect(check.code, check.stdout + check.stderr).to.equal(0);
    const steps = await previewSteps(prepared);
    expect(
      steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${nameOf(s.urn)}`),
      "the runbook: expect only the jobRouting output to change",
    ).to.deep.equal([]);
    await up(prepared.stack);
    const status = await migrationStatus(prepared);
    expect(status.phase).to.equal("pilot");
    expect(status.pilotJobs).to.deep.equal([JOBS[2]]);
    const route = (await routes(prepared))[JOBS[2]]!;
    expect(route).to.include({ release: "spark-41", sparkVersion: "4.1.0" });
    expect(route.connectionUrl).to.match(/^sc:\/\/spark-41-connect\./);
    expect(route.clientPodLabel).to.deep.equal({
      key: "spark-platform.io/client-of",
      value: "spark-41",
    });
    const run = await runRoutedJob(
      { release: "spark-41", connectionUrl: route.connectionUrl },
      ns41,
      {
        database: `mig_${RUN}_clickstream_sessionize`,
        name: JOBS[2],
      },
    );
    log(`${JOBS[2]} on ${route.connectionUrl}: ${run.phase} in ${run.seconds}s`);
    expect(jobComplaints(run, JOBS[2])).to.deep.equal([]);
    expect(run.result?.sparkVersion).to.equal("4.1.0");
    // Its table is spark-41's: a row of metastore_spark41 and none of metastore_spark35.
    const db = `mig_${RUN}_clickstream_sessionize`;
    expect((await metastoreRows("metastore_spark41", [db])).map((r) => r.table)).to.deep.equal([
      "it_rows",
    ]);
    expect(await metastoreRows("metastore_spark35", [db])).to.deep.equal([]);
    // The runbook: check-config refuses a decommission while jobs are still on spark-35.
    await configSet(prepared, "spark-platform:releases[0].decommissioned", "true");
    const refused = await checkConfig(prepared);
    await configSet(prepared, "spark-platform:releases[0].decommissioned", "false");
    expect(refused.code, "check-config refuses the early decommission").to.not.equal(0);
    expect(refused.stdout + refused.stderr).to.contain("spark-platform:jobs[0].release");
  });

  it("migration phase 3, rollout: batches move, migration-status names what is left", async function () {
    this.timeout(15 * 60_000);
    const prepared = current();
    await configSet(prepared, "spark-platform:jobs[0].release", "spark-41");
    await up(prepared.stack);
    const mid = await migrationStatus(prepared);
    expect(mid.phase).to.equal("rollout");
    expect(mid.blockers.map((b) => b.key)).to.deep.equal(["spark-platform:jobs[1].release"]);
    await configSet(prepared, "spark-platform:jobs[1].release", "spark-41");
    await up(prepared.stack);
    const done = await migrationStatus(prepared);
    expect(done.phase).to.equal("decommission-ready");
    expect(done.blockers).to.deep.equal([]);
    const route = (await routes(prepared))[JOBS[0]]!;
    expect(route.release).to.equal("spark-41");
    const run = await runRoutedJob(
      { release: "spark-41", connectionUrl: route.connectionUrl },
      ns41,
      {
        database: `mig_${RUN}_daily_sales_rollup_41`,
        name: `${JOBS[0]}-41`,
      },
    );
    log(`${JOBS[0]} on ${route.connectionUrl}: ${run.phase} in ${run.seconds}s`);
    expect(jobComplaints(run, `${JOBS[0]} on spark-41`)).to.deep.equal([]);
    // The runbook: spark-35's tables are not visible on spark-41.
    expect(run.result?.databases ?? []).to.not.include(database);
  });

  it("migration phase 4, decommission spark-35: its workloads and RBAC go, its database, role, tables and event logs stay", async function () {
    this.timeout(15 * 60_000);
    const prepared = current();
    const before41 = await podUids(ns41, `${RELEASE_LABEL}=spark-41`);
    // Read while spark-35's spark-defaults still exists.
    const eventLogDir35 = (await eventLogDirs(namespaceOf))["spark-35"];
    await configSet(prepared, "spark-platform:releases[0].decommissioned", "true");
    const check = await checkConfig(prepared);
    expect(check.code, check.stdout + check.stderr).to.equal(0);
    const steps = await previewSteps(prepared);
    log(
      `decommission preview: ${steps.filter((s) => s.op === "delete").length} deletes, ${steps.filter((s) => s.op === "same").length} same`,
    );
    expect(decommissionPreviewComplaints(steps), "the runbook's preview claims").to.deep.equal([]);
    await up(prepared.stack);
    expect((await migrationStatus(prepared)).phase).to.equal("decommissioned");
    // Still Pulumi's: the data resources keep their URNs in the stack's state.
    const state = (await prepared.stack.exportStack()).deployment as {
      resources?: { urn: string }[];
    };
    const kept = (state.resources ?? [])
      .map((r) => r.urn)
      .filter(isData)
      .map(nameOf);
    expect([...new Set(kept)].sort(), "data resources in the state").to.deep.equal(
      [...RETAINED].sort(),
    );
    await waitUntil("spark-35's pods gone", 5 * 60_000, async () => {
      const left = [...(await podUids(ns35, `${RELEASE_LABEL}=spark-35`)).keys()];
      return left.length ? left.join(", ") : undefined;
    });
    expect(await releaseObjects("spark-35", ns35), "spark-35's objects").to.deep.equal([]);
    const after41 = await podUids(ns41, `${RELEASE_LABEL}=spark-41`);
    expect([...after41.entries()].filter(([n, uid]) => before41.get(n) !== uid)).to.deep.equal([]);
    // What stays: database, role, the phase-1 table, and the phase-1 application's event log.
    await withPg("postgres", async (pg) => {
      expect(
        (await pg.query("SELECT 1 FROM pg_database WHERE datname = 'metastore_spark35'")).rowCount,
      ).to.equal(1);
      expect(
        (await pg.query("SELECT 1 FROM pg_roles WHERE rolname = 'metastore_spark35'")).rowCount,
      ).to.equal(1);
    });
    expect(
      (await metastoreRows("metastore_spark35", [database])).map((r) => r.table),
    ).to.deep.equal(["it_rows"]);
    const appId = phase1?.result?.applicationId;
    expect(appId, "phase 1's application id").to.be.a("string");
    const { bucket, prefix } = s3aLocation(eventLogDir35);
    const keys = (await listKeys(bucket)).filter(
      (k) => k.startsWith(`${prefix}/`) && k.includes(appId!),
    );
    log(`kept event log of ${appId}: ${keys.join(", ")}`);
    expect(keys, `event log of ${appId} under ${prefix}/`).to.have.length.greaterThan(0);
  });

  it("migration rollback: spark-35 comes back on its retained data, and a new 3.5 job reads the old table", async function () {
    this.timeout(READY_MS + 10 * 60_000);
    const prepared = current();
    await configSet(prepared, "spark-platform:releases[0].decommissioned", "false");
    await up(prepared.stack);
    await waitUntil("spark-35 back and Ready", READY_MS, async () => {
      const complaints = await platformComplaints([...new Set(Object.values(namespaceOf))]);
      return complaints.length ? complaints.join("; ") : undefined;
    });
    const init = await kubectl([
      "logs",
      "-n",
      ns35,
      `job/${releaseNames("spark-35").metastoreSchemaInit}`,
    ]);
    log(`schema-init after rollback: ${init.stdout.trim().split("\n").slice(-1)[0]}`);
    await configSet(prepared, "spark-platform:jobs[0].release", "spark-35");
    await up(prepared.stack);
    const route = (await routes(prepared))[JOBS[0]]!;
    expect(route.release).to.equal("spark-35");
    const run = await runRoutedJob(
      { release: "spark-35", connectionUrl: route.connectionUrl },
      ns35,
      {
        action: "read",
        database,
        name: `${JOBS[0]}-read`,
      },
    );
    log(`${JOBS[0]} reads ${database} on ${route.connectionUrl}: ${run.phase} in ${run.seconds}s`);
    expect(jobComplaints(run, `reading ${database} after the rollback`)).to.deep.equal([]);
    // The retained event logs are spark-35-history's again.
    const appId = phase1?.result?.applicationId ?? "";
    await waitUntil(`spark-35-history lists ${appId}`, 120_000, async () =>
      (await historyApplications(ns35, "spark-35").catch(() => [])).some((a) => a.id === appId)
        ? undefined
        : "not listed",
    );
  });
}
