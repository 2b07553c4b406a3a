// Negative controls of the job-based isolation checks: each breaks one setting
// on the live system on purpose, runs the same check code the positive checks run, and
// must see it fail with a complaint that names the release and the object. Every broken
// setting is put back (and what it left behind removed) before the function returns.
import { create, type NamespaceOf } from "./clients";
import { historyApplications } from "./history";
import { allowAllPolicy } from "./network";
import {
  databaseName,
  eventLogComplaints,
  metastoreCheck,
  historyComplaints,
  listKeys,
  prepareClientSide,
  releaseView,
  roleCheck,
  runJobPod,
  s3aLocation,
  standaloneJobPod,
  withJobRun,
  type Check,
  type ClientSide,
  type HistoryApp,
} from "./jobs";
import { kubectl, minio, waitUntil, withPg } from "./support";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface NegativeControl {
  /** The setting that was broken, in words. */
  readonly broken: string;
  /** What the check said with it broken (must be non-empty). */
  readonly complaints: string[];
  readonly facts: string[];
}

/**
 * Roles: `GRANT CONNECT ON DATABASE metastore_spark41 TO metastore_spark35`, then the
 * roles check of the positive run. Revoked in a `finally`.
 */
export async function roleGrantControl(namespaceOf: NamespaceOf): Promise<NegativeControl> {
  const grant = 'GRANT CONNECT ON DATABASE "metastore_spark41" TO "metastore_spark35"';
  await withPg("postgres", (pg) => pg.query(grant));
  let check: Check;
  try {
    check = await roleCheck(namespaceOf);
  } finally {
    await withPg("postgres", (pg) =>
      pg.query('REVOKE CONNECT ON DATABASE "metastore_spark41" FROM "metastore_spark35"'),
    );
  }
  return { broken: grant, complaints: check.complaints, facts: check.facts };
}

/**
 * Event logs and History Servers: a spark-35 job submitted with spark-41's event-log
 * directory (`--conf spark.eventLog.dir=<4.1 prefix>`, a user's plausible mistake: both
 * releases' pods hold keys to the same bucket). The storage check must name spark-35 and
 * the misplaced keys; spark-41-history must be caught listing spark-35's application.
 * The misplaced objects are removed afterwards.
 */
export async function eventLogDirControl(
  namespaceOf: NamespaceOf,
  log: (line: string) => void = () => {},
): Promise<NegativeControl> {
  const ns35 = namespaceOf["spark-35"];
  const view35 = await releaseView("spark-35", ns35);
  const view41 = await releaseView("spark-41", namespaceOf["spark-41"]);
  const own = s3aLocation(view35.defaults["spark.eventLog.dir"] ?? "");
  const wrongDir = view41.defaults["spark.eventLog.dir"] ?? "";
  const wrong = s3aLocation(wrongDir);
  const broken = `spark-35 job with --conf spark.eventLog.dir=${wrongDir}`;
  const complaints: string[] = [];
  const facts: string[] = [];
  let misplaced: string[] = [];
  return withJobRun(async ({ runId, scripts }) => {
    try {
      const client = await prepareClientSide(view35, runId);
      const { pod } = standaloneJobPod(view35, client, runId, scripts, {
        name: "control-spark-35",
        conf: { "spark.eventLog.dir": wrongDir },
      });
      const run = await runJobPod(pod, "spark-35", 900_000);
      const appId = run.result?.applicationId;
      if (run.phase !== "Succeeded" || !appId)
        throw new Error(`the control's job did not run (${run.phase}):\n${run.logTail}`);
      log(`control job ${appId} ${run.phase} in ${run.seconds}s`);
      const keys = await listKeys(own.bucket);
      misplaced = keys.filter((k) => k.startsWith(`${wrong.prefix}/`) && k.includes(appId));
      complaints.push(...eventLogComplaints("spark-35", appId, keys, own.bucket, own.prefix));
      // spark-41-history scans its prefix every 10 s: wait until it has seen the log.
      let apps: HistoryApp[] = [];
      await waitUntil("spark-41-history lists the misplaced application", 120_000, async () => {
        apps = await historyApplications(namespaceOf["spark-41"], "spark-41").catch(() => []);
        return apps.some((a) => a.id === appId) ? undefined : "not yet";
      }).catch((e: unknown) => facts.push((e as Error).message));
      complaints.push(
        ...historyComplaints("spark-41", apps, apps[0]?.id ?? "", appId).filter((c) =>
          c.includes("reads the other"),
        ),
      );
      facts.push(`misplaced keys: ${misplaced.join(", ") || "none"}`);
    } finally {
      if (misplaced.length) await (await minio()).removeObjects(own.bucket, misplaced);
    }
    return { broken, complaints, facts };
  });
}

/**
 * Metastores: a spark-35 job submitted with spark-41's metastore
 * (`--conf spark.hadoop.hive.metastore.uris=thrift://spark-41-metastore...`). spark-41's
 * NetworkPolicies refuse that connection, so the control opens them (an allow-all policy
 * on spark-41's pods; the job's pod runs in the client namespace, where no policy of the
 * platform's limits its egress). The metastore check must then name spark-41's database
 * holding spark-35's. The leaked database is dropped the same way, then the policy goes.
 */
export async function metastoreUriControl(
  namespaceOf: NamespaceOf,
  log: (line: string) => void = () => {},
): Promise<NegativeControl> {
  const ns35 = namespaceOf["spark-35"];
  const ns41 = namespaceOf["spark-41"];
  const views = {
    "spark-35": await releaseView("spark-35", ns35),
    "spark-41": await releaseView("spark-41", ns41),
  } as const;
  const uri = views["spark-41"].defaults["spark.hadoop.hive.metastore.uris"] ?? "";
  const broken = `spark-35 job with --conf spark.hadoop.hive.metastore.uris=${uri}, NetworkPolicies opened for it`;
  const conf = { "spark.hadoop.hive.metastore.uris": uri };
  return withJobRun(
    async ({ runId, scripts }) => {
      const database = databaseName(runId, "spark-35");
      const facts: string[] = [];
      let leaked = false;
      let client: ClientSide | undefined;
      try {
        client = await prepareClientSide(views["spark-35"], runId);
        await create(allowAllPolicy("spark-41", ns41, runId));
        await sleep(15_000); // kube-router applies policies within a few seconds
        const { pod } = standaloneJobPod(views["spark-35"], client, runId, scripts, {
          name: "control-metastore",
          conf,
        });
        const run = await runJobPod(pod, "spark-35", 900_000);
        log(`control job ${run.result?.applicationId} ${run.phase} in ${run.seconds}s`);
        if (run.phase !== "Succeeded")
          throw new Error(`the control's job did not run (${run.phase}):\n${run.logTail}`);
        leaked = true;
        const check = await metastoreCheck(runId, views);
        facts.push(...check.facts);
        return {
          broken,
          // spark-41 ran no job in this control: its own "no TBLS row" complaint is expected.
          complaints: check.complaints.filter(
            (c) => !c.startsWith("metastore_spark41 has no TBLS row"),
          ),
          facts,
        };
      } finally {
        if (leaked && client) {
          const { pod } = standaloneJobPod(views["spark-35"], client, runId, scripts, {
            name: "control-metastore-drop",
            conf,
            action: "drop",
            database,
          });
          const drop = await runJobPod(pod, "spark-35", 600_000);
          log(`dropped ${database} from metastore_spark41: ${drop.phase}`);
        }
        await kubectl(
          ["delete", "networkpolicy", `it-allow-all-${runId}`, "-n", ns41, "--ignore-not-found"],
          true,
        );
      }
    },
    { alsoIn: [ns41] },
  );
}
