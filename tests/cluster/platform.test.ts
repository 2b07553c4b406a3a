// Live suite: the local and local-prod stacks applied by the real engine (real kubernetes
// provider, no renderYamlToDirectory) to the local cluster of `npm run cluster -- up`.
// Run: npm run test:cluster (docs/local-cluster.md). Every check reads the live system.
import { expect } from "chai";
import type { PreparedStack } from "../../tools/engine/workspace";
import { RELEASE_LABEL } from "../../lib/kube/objects";
import { clientAdmissionChecks } from "./clientAdmission";
import {
  CLIENT_PLACEMENT,
  deleteRun,
  ensureClientNamespaces,
  localStackConfig,
  newRunId,
} from "./clients";
import { benchReportLive, reportRow, runVersionBenchmark, type BenchmarkRun } from "./benchmark";
import { checkConnectServerRestart, jobChecks, releaseView } from "./jobs";
import { plaintextCaptureCheck } from "./plaintextCapture";
import { portForwardControl } from "./portForwardControl";
import { checkNotebook, notebookNegativeControl } from "./notebook";
import { metricsAccessControl, scrapedSeries, startPrometheus, stopPrometheus } from "./prometheus";
import { connectCertificateRotationCheck } from "./certificateRotation";
import { withRpcEncryptionOff } from "./rpcEncryptionSwitch";
import { answerMismatches, securityCostTable } from "./securityCost";
import { jobKpisLiveChecks } from "./jobKpisLive";
import { runFault } from "../faults/faultCase";
import { prepareFaultContext } from "../faults/faultContext";
import { faultTable } from "../faults/faultReport";
import { smokeSubmit } from "../faults/loadAndSmoke";
import { masterKillFault } from "../faults/masterKillFault";
import { migrationWalk } from "./migration";
import { credentialRotationCheck } from "./rotation";
import { sparkKeyRotationCheck } from "./keyRotation";
import { eventLogDirControl, metastoreUriControl, roleGrantControl } from "./negativeControls";
import { REGISTRATION_TEXT, unauthenticatedSubmitControl } from "./authenticationControl";
import { UNAUTHENTICATED, unauthenticatedSessionControl } from "./connectAuthenticationControl";
import { networkChecks } from "./network";
import { rbacChecks } from "./rbac";
import {
  nodePools,
  pinnedReleases,
  placementComplaints,
  poolsPresent,
  releasePods,
  TEAM_POOLS,
} from "./teamPools";
import { rawConfigFromStackFile } from "../../lib/config/sources";
import { DERIVED_IMAGES } from "../../lib/jars/images";
import { CHECK_CONTAINER, FETCH_CONTAINER } from "../../lib/jars/plan";
import type { RawRelease } from "../../lib/config/schema";
import { derivedImagesOverride, derivedRefsByBase } from "../../tools/jars/stackOverride";
import { stackFilePath } from "../../tools/cli/stackFiles";
import { platformComplaints, podUids, restartCounts } from "../../tools/kubectl/readiness";
import {
  changed,
  getItems,
  kubectl,
  liveSkipped,
  minio,
  note,
  output,
  prepareLocal,
  shell,
  up,
  waitUntil,
  withPg,
} from "./support";

const DATABASES = { "spark-35": "metastore_spark35", "spark-41": "metastore_spark41" } as const;
const PREFIXES = {
  "spark-35": "s3a://spark-logs/3.5/events",
  "spark-41": "s3a://spark-logs/4.1/events",
};
/** The Service each release is reached at (the guide's "service isolation" lists them). */
const FRONT_SERVICE: Record<string, string> = {
  "spark-35": "spark-35-master",
  "spark-41": "spark-41-connect",
};
const MARKERS = ["3.5/events/.keep", "4.1/events/.keep"];
const READY_TIMEOUT_MS = 12 * 60_000;
/** Pods must still have zero restarts this long after the platform became Ready. */
// Three minutes: a crash loop restarts within a minute of a failing start; on local-prod,
// whose checks are quick, every minute more is a minute of CI spent waiting.
const STEADY_MS = 3 * 60_000;

/**
 * `SPARK_PLATFORM_LIVE_JARS=image`: `local` runs the derived images of `npm run jars --
 * build-images` with `jars.source: image` (docs/jars.md; `npm run cluster -- up` imports
 * them into every node). By hand: CI runs the official images with the jar download.
 */
const JARS_FROM_IMAGES = process.env["SPARK_PLATFORM_LIVE_JARS"] === "image";

interface StackCase {
  readonly stack: "local" | "local-prod";
  readonly namespaces: readonly string[];
  readonly namespaceOf: Record<"spark-35" | "spark-41", string>;
  /** The lifecycle checks that restart pods run on one stack only (CI time). */
  readonly lifecycle: boolean;
  /** Each release pinned to its own node pool (teamPools.ts) when both pools have a node. */
  readonly teamPools: boolean;
}

const CASES: readonly StackCase[] = [
  {
    stack: "local",
    namespaces: ["spark"],
    namespaceOf: { "spark-35": "spark", "spark-41": "spark" },
    lifecycle: true,
    teamPools: false,
  },
  {
    stack: "local-prod",
    namespaces: ["spark-35", "spark-41"],
    namespaceOf: { "spark-35": "spark-35", "spark-41": "spark-41" },
    lifecycle: false,
    teamPools: true,
  },
];

async function currentContext(): Promise<string> {
  return (await kubectl(["config", "current-context"])).stdout.trim();
}

/** `npm run verify -- --context <ctx> --namespaces <ns>` as a user runs it. */
async function verifyLive(namespaces: readonly string[]) {
  return shell(
    `npm run --silent verify -- --context ${await currentContext()} --namespaces ${namespaces.join(",")}`,
  );
}

for (const c of CASES) {
  describe(`live: stack ${c.stack} on the local cluster`, function () {
    this.timeout(30 * 60_000);
    let prepared: PreparedStack;
    let readyAt = 0;
    let destroyed = false;
    let pinned = false;

    before(async function () {
      this.timeout(READY_TIMEOUT_MS + 15 * 60_000);
      // The teams' side of the grants: client namespaces and ServiceAccounts exist before up.
      await ensureClientNamespaces(localStackConfig(c.stack));
      pinned = c.teamPools && poolsPresent(await nodePools());
      const stackReleases = rawConfigFromStackFile(stackFilePath(c.stack)).values["releases"];
      const derived =
        JARS_FROM_IMAGES && c.stack === "local"
          ? derivedImagesOverride(stackReleases as RawRelease[], derivedRefsByBase(DERIVED_IMAGES))
              .values
          : undefined;
      prepared = await prepareLocal(
        c.stack,
        pinned
          ? { releases: pinnedReleases(stackReleases as Record<string, unknown>[], TEAM_POOLS) }
          : derived,
      );
      const started = Date.now();
      const summary = await up(prepared.stack);
      const upSeconds = (Date.now() - started) / 1000;
      await waitUntil(`${c.stack} all Ready`, READY_TIMEOUT_MS, async () => {
        const complaints = await platformComplaints(c.namespaces);
        return complaints.length ? complaints.join("; ") : undefined;
      });
      readyAt = Date.now();
      note(
        `${c.stack}: pulumi up ${upSeconds.toFixed(0)}s (${JSON.stringify(summary)}), all Ready ${((readyAt - started) / 1000).toFixed(0)}s after up started`,
      );
    });

    after(async function () {
      this.timeout(15 * 60_000);
      if (prepared && !destroyed) {
        await prepared.stack
          .destroy({ onOutput: output, excludeProtected: true })
          .catch((e: unknown) => note(`cleanup destroy failed: ${(e as Error).message}`));
      }
    });

    it("every Deployment is Available, every schema-init Job Complete, every pod Running and Ready", async () => {
      expect(await platformComplaints(c.namespaces)).to.deep.equal([]);
      for (const namespace of c.namespaces) {
        const jobs = await getItems("jobs.batch", namespace);
        expect(
          jobs.map((j) => j.metadata.name).filter((n) => n.endsWith("schema-init")),
        ).to.have.length.greaterThan(0);
      }
    });

    if (JARS_FROM_IMAGES && c.stack === "local")
      it("jars from images: every Spark and Hive pod runs a derived image (spark-platform/…), its check-jars init container passed, and no pod downloads jars", async () => {
        const derivedRefs = new Set(
          DERIVED_IMAGES.map((i) => `spark-platform/${i.name}:${i.version}`),
        );
        const complaints: string[] = [];
        let checked = 0;
        for (const pod of await getItems("pods", "spark")) {
          const spec = pod.spec as {
            containers: { image: string }[];
            initContainers?: { name: string }[];
          };
          const init = (spec.initContainers ?? []).map((c) => c.name);
          if (init.includes(FETCH_CONTAINER))
            complaints.push(`${pod.metadata.name}: downloads jars`);
          if (!init.includes(CHECK_CONTAINER)) continue;
          checked++;
          const image = spec.containers[0]!.image;
          if (!derivedRefs.has(image)) complaints.push(`${pod.metadata.name}: runs ${image}`);
          const statuses = (pod.status?.["initContainerStatuses"] ?? []) as {
            name: string;
            state?: { terminated?: { exitCode: number } };
          }[];
          const check = statuses.find((st) => st.name === CHECK_CONTAINER);
          if (check?.state?.terminated?.exitCode !== 0) {
            complaints.push(
              `${pod.metadata.name}: ${CHECK_CONTAINER} ${JSON.stringify(check?.state)}`,
            );
          }
        }
        note(`${checked} pods checked their derived image's jars`);
        expect(checked).to.be.greaterThan(0);
        expect(complaints).to.deep.equal([]);
      });

    if (c.teamPools)
      it("each release runs on its own node pool (releases[].placement): every pod, Connect executors and schema-init Jobs included", async function () {
        if (!pinned) {
          note(`skipped: no Ready node in each of ${Object.values(TEAM_POOLS).join(", ")}`);
          this.skip();
        }
        const pods = await releasePods(c.namespaces);
        note(
          `placement: ${pods.map((p) => `${p.name} (${p.kind}) on ${p.node ?? "none"}`).join(", ")}`,
        );
        expect(pods.some((p) => p.release === "spark-41" && /-exec-\d+$/.test(p.name))).to.equal(
          true,
        );
        expect(pods.filter((p) => p.kind === "Job").length).to.be.greaterThan(0);
        expect(placementComplaints(pods, await nodePools(), TEAM_POOLS)).to.deep.equal([]);
      });

    it("every pod passes Pod Security restricted (server-side dry run of enforce=restricted warns of none)", async () => {
      for (const namespace of c.namespaces) {
        const result = await kubectl([
          "label",
          "--dry-run=server",
          "--overwrite",
          "namespace",
          namespace,
          "pod-security.kubernetes.io/enforce=restricted",
        ]);
        expect(result.stderr, namespace).to.not.match(/violate|Warning/i);
      }
      if (c.stack === "local-prod") {
        for (const namespace of c.namespaces) {
          const ns = JSON.parse(
            (await kubectl(["get", "namespace", namespace, "-o", "json"])).stdout,
          ) as {
            metadata: { labels: Record<string, string> };
          };
          expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
        }
      }
    });

    it("the guide's verification commands, typed as written, give the expected answers", async () => {
      for (const namespace of new Set(Object.values(c.namespaceOf))) {
        const services = await shell(
          `kubectl get svc -n ${namespace} | grep -E "(spark-35|spark-41)"`,
        );
        expect(services.code).to.equal(0);
        for (const [release, ns] of Object.entries(c.namespaceOf)) {
          if (ns === namespace) expect(services.stdout).to.contain(FRONT_SERVICE[release]);
        }
        const env = await shell(
          `kubectl get deploy -n ${namespace} -l app=hive-metastore -o jsonpath='{.items[*].spec.template.spec.containers[0].env}'`,
        );
        expect(env.code).to.equal(0);
        const logs = await shell(
          `kubectl logs -n ${namespace} -l app=spark-history-server | grep "s3a://spark-logs"`,
        );
        expect(logs.code, logs.stderr).to.equal(0);
        for (const [release, ns] of Object.entries(c.namespaceOf) as [
          "spark-35" | "spark-41",
          string,
        ][]) {
          if (ns !== namespace) continue;
          expect(env.stdout, "metastore env").to.contain(`/${DATABASES[release]}`);
          expect(logs.stdout, "history logs").to.contain(PREFIXES[release]);
        }
      }
      // Each server names only its own prefix.
      for (const release of ["spark-35", "spark-41"] as const) {
        const own = await shell(
          `kubectl logs -n ${c.namespaceOf[release]} deploy/${release}-history | grep "s3a://spark-logs"`,
        );
        const other = release === "spark-35" ? PREFIXES["spark-41"] : PREFIXES["spark-35"];
        expect(own.stdout).to.contain(PREFIXES[release]);
        expect(own.stdout).to.not.contain(other);
      }
    });

    it("the live coexistence verifier passes", async () => {
      const result = await verifyLive(c.namespaces);
      expect(result.code, result.stdout + result.stderr).to.equal(0);
    });

    // Isolation on the live system (plain its: they run before the lifecycle ones): RBAC of
    // the releases' accounts, real jobs and their traces, real connections between pods.
    rbacChecks(c.namespaceOf);
    clientAdmissionChecks(() => localStackConfig(c.stack));
    jobChecks(c.namespaceOf);
    // Before the Connect server restart below: it needs the server kept running.
    if (c.lifecycle) jobKpisLiveChecks(c.namespaceOf, localStackConfig(c.stack));
    networkChecks(c.namespaceOf, { negativeControl: c.lifecycle });
    // The 4.1 job of jobChecks connected with the token from the client Secret, over TLS.
    it(`Connect token negative control: sessions from a granted client pod over TLS without spark-41's token, with a random one, or with spark-35's real secret, get ${UNAUTHENTICATED}`, async function () {
      this.timeout(8 * 60_000);
      const refusals = await unauthenticatedSessionControl(c.namespaceOf);
      for (const r of refusals)
        note(`control (${r.variant}): ${r.phase} in ${r.seconds}s; ${r.evidence.slice(0, 300)}`);
      expect(refusals.flatMap((r) => r.complaints)).to.deep.equal([]);
    });

    it(`port-forward control: a stock pyspark-client on this machine through kubectl port-forward gets ${UNAUTHENTICATED} without spark-41's token (TLS to the Connect port, plain text to the server's loopback port), and runs with it`, async function () {
      this.timeout(10 * 60_000);
      const control = await portForwardControl(c.namespaceOf);
      for (const a of control.attempts) {
        note(
          `${a.name}: ${a.ran ? "ran" : "refused"} (exit ${a.code}) ${a.errorLine?.slice(0, 200) ?? ""}`,
        );
      }
      expect(control.complaints).to.deep.equal([]);
    });
    // Metrics (the local stack has monitoring on): a real Prometheus in its namespace.
    const monitored = localStackConfig(c.stack);
    if (monitored.monitoring) {
      const ns = monitored.monitoring.namespace;
      it(`metrics: a Prometheus in namespace ${ns}, configured from the stack's PodMonitors, scrapes every target of both releases; each release's series carry its release label, and its master's alive workers or its Connect server's executor metrics read back as configured`, async function () {
        this.timeout(6 * 60_000);
        try {
          const podMonitors = await startPrometheus(monitored);
          const outcome = await scrapedSeries(monitored, podMonitors);
          note(
            `Prometheus: ${outcome.targets.length} targets (${outcome.targets.map((t) => `${t.scrapePool} ${t.health}`).join(", ")}) in ${outcome.seconds}s; series by release ${JSON.stringify(outcome.seriesByRelease)}; facts ${JSON.stringify(outcome.facts)}`,
          );
          expect(outcome.complaints).to.deep.equal([]);
        } finally {
          await stopPrometheus(monitored);
        }
      });

      it(`metrics negative controls: the same GET of each release's metrics path answers from namespace ${ns} and fails from namespace default; with the release's allow-metrics policy deleted it fails from ${ns} too (restored)`, async function () {
        this.timeout(6 * 60_000);
        const outcome = await metricsAccessControl(monitored);
        note(
          `from ${ns} ${JSON.stringify(outcome.fromMonitoring)}; from default ${JSON.stringify(outcome.fromOutside)}; ${outcome.controlRelease} without allow-metrics ${JSON.stringify(outcome.withoutPolicy)}`,
        );
        expect(outcome.complaints).to.deep.equal([]);
      });
    }

    // The stack's notebooks (the local stack has one): granted clients like any other.
    for (const notebook of localStackConfig(c.stack).notebooks) {
      const where = `${notebook.namespace}/${notebook.name}`;
      it(`notebook ${where}: a notebook executed in its pod (nbconvert --execute) queries ${notebook.release} through the preconfigured session; /lab and the API refuse requests without the Jupyter token, in the pod and through port-forward; it reaches its release's Connect port and neither the metastore, the other release nor the object store`, async function () {
        this.timeout(5 * 60_000);
        const outcome = await checkNotebook(localStackConfig(c.stack), notebook);
        note(
          `${where}: pod ${outcome.pod} in ${outcome.seconds}s; cell ${JSON.stringify(outcome.probe?.notebook.cellOutput ?? [])}; http ${JSON.stringify(outcome.probe?.http ?? {})}; forwarded ${JSON.stringify(outcome.forwarded ?? {})}; tcp ${JSON.stringify(outcome.probe?.tcp ?? {})}`,
        );
        expect(outcome.complaints).to.deep.equal([]);
      });

      it(`notebook ${where} negative control: with its login turned off and its NetworkPolicy deleted, the same check fails on /lab and on the object store; both restored`, async function () {
        this.timeout(8 * 60_000);
        const control = await notebookNegativeControl(localStackConfig(c.stack), notebook);
        note(
          `control (${control.broken}) in ${control.seconds}s: ${control.complaints.join("; ")}`,
        );
        expect(control.complaints.some((m) => m.startsWith("/lab without the token"))).to.equal(
          true,
          control.complaints.join("\n"),
        );
        expect(control.complaints.some((m) => m.includes(":9000: open"))).to.equal(
          true,
          control.complaints.join("\n"),
        );
      });
    }
    if (c.lifecycle) {
      it("roles negative control: CONNECT on metastore_spark41 granted to spark-35's role fails the roles check, naming both", async () => {
        const control = await roleGrantControl(c.namespaceOf);
        note(`control (${control.broken}): ${control.complaints.join("; ")}`);
        expect(
          control.complaints.some(
            (m) =>
              m.includes("metastore_spark35") &&
              m.includes("spark-35") &&
              m.includes("metastore_spark41"),
          ),
          control.complaints.join("\n") || "no complaint",
        ).to.equal(true);
      });

      it(`authentication negative control: a spark-submit from a granted client pod without spark-35's secret fails to register with its master ("${REGISTRATION_TEXT.giveUp}")`, async function () {
        this.timeout(12 * 60_000);
        const control = await unauthenticatedSubmitControl(c.namespaceOf, (l) =>
          note(`control: ${l}`),
        );
        note(
          `control (${control.broken}): ${control.seconds}s; ${control.evidence.join(" | ")}; master's "${REGISTRATION_TEXT.refusal}" ${control.refusalLogged ? "logged" : "not in the driver's log"}`,
        );
        expect(control.unexpected, control.unexpected.join("\n")).to.deep.equal([]);
      });

      it("metastore negative control: a spark-35 job on spark-41's metastore (policies opened for it) fails the metastore check, naming both", async function () {
        this.timeout(10 * 60_000);
        const control = await metastoreUriControl(c.namespaceOf, (l) => note(`control: ${l}`));
        for (const line of [...control.complaints, ...control.facts]) note(`control: ${line}`);
        expect(
          control.complaints.filter((m) => /^metastore_spark41 holds spark-35's database /.test(m)),
          control.complaints.join("\n") || "no complaint",
        ).to.have.length(1);
      });

      it("event-log negative control: a spark-35 job logging to spark-41's prefix fails the storage and History checks, naming the release, keys and server", async function () {
        this.timeout(10 * 60_000);
        const control = await eventLogDirControl(c.namespaceOf, (l) => note(`control: ${l}`));
        for (const line of [...control.complaints, ...control.facts]) note(`control: ${line}`);
        const storage = control.complaints.filter((m) => m.startsWith("spark-35: event log of"));
        expect(storage, "storage check names spark-35 and the keys").to.have.length(1);
        expect(storage[0]).to.match(/outside 3\.5\/events\/: 4\.1\/events\//);
        expect(
          control.complaints.some((m) =>
            m.startsWith("spark-41-history lists spark-35's application"),
          ),
          "History check names spark-41-history and the application",
        ).to.equal(true);
      });
    }

    if (c.lifecycle) {
      let bench: BenchmarkRun | undefined;
      it("version benchmark: the runbook's commands run the same workload on both releases to completion", async function () {
        this.timeout(25 * 60_000);
        if (liveSkipped("benchmark")) this.skip();
        bench = await runVersionBenchmark(prepared, c.namespaceOf, (l) => note(`bench: ${l}`));
        const { results, resultKeys } = bench;
        expect(results["spark-35"]).to.include({ release: "spark-35", sparkVersion: "3.5.7" });
        expect(results["spark-41"]).to.include({ release: "spark-41", sparkVersion: "4.1.0" });
        expect(results["spark-41"].queries, "same answers").to.deep.equal(
          results["spark-41"].queries.map((q) => ({
            ...q,
            answer: results["spark-35"].queries.find((b) => b.name === q.name)?.answer,
          })),
        );
        for (const release of ["spark-35", "spark-41"] as const) {
          const own = PREFIXES[release].replace("s3a://spark-logs/", "");
          expect(resultKeys[release], `${release}'s result objects`).to.have.length.greaterThan(0);
          for (const key of resultKeys[release])
            expect(key).to.match(new RegExp(`^${own}/benchmark/`));
        }
        // Switched off again: the Jobs are gone and the platform is as before.
        for (const namespace of c.namespaces) {
          const jobs = await getItems("jobs.batch", namespace);
          expect(
            jobs.map((j) => j.metadata.name).filter((n) => n.endsWith("benchmark")),
          ).to.deep.equal([]);
        }
        const report = await benchReportLive(bench, c.namespaceOf);
        expect(report.code, report.stderr).to.equal(0);
        note(`bench-report before the Connect restart:\n${report.report}`);
        // spark-35's application ended with its Job: its History Server has its stages.
        expect(reportRow(report.report, "shuffle write")[0]).to.match(/B$/);
      });

      it("a Connect server restart: its executors go with it, the new one gets its own, its application reaches spark-41-history", async function () {
        this.timeout(10 * 60_000);
        const check = await checkConnectServerRestart(c.namespaceOf, {
          log: (line) => note(`restart: ${line}`),
        });
        for (const fact of check.facts) note(fact);
        expect(check.complaints, check.facts.join("\n")).to.deep.equal([]);
        await waitUntil(`${c.stack} Ready after the restart`, READY_TIMEOUT_MS, async () => {
          const complaints = await platformComplaints(c.namespaces);
          return complaints.length ? complaints.join("; ") : undefined;
        });
      });

      it("bench-report: after the restart both History Servers give shuffle bytes and peak memory", async function () {
        this.timeout(5 * 60_000);
        if (!bench) this.skip();
        let report = { code: 1, report: "", stderr: "" };
        // The History Server polls its prefix every 10 s for the closed event log.
        await waitUntil("spark-41-history has the benchmark's stages", 120_000, async () => {
          report = await benchReportLive(bench!, c.namespaceOf);
          const row = reportRow(report.report, "shuffle write");
          return report.code === 0 && /B$/.test(row[0] ?? "") && /B$/.test(row[1] ?? "")
            ? undefined
            : `${report.stderr}${row.join(" | ")}`;
        });
        note(`bench-report:\n${report.report}`);
        for (const label of ["shuffle write", "peak JVM heap"]) {
          const [b35, b41, ratio] = reportRow(report.report, label);
          expect(b35, `${label} spark-35`).to.match(/B$/);
          expect(b41, `${label} spark-41`).to.match(/B$/);
          expect(ratio, `${label} ratio`).to.match(/x$/);
        }
        expect(report.report).to.not.match(/results differ/);
      });
    }

    it("a second up reports no changes", async () => {
      expect(changed(await up(prepared.stack))).to.deep.equal({});
    });

    it("refresh finds no drift", async () => {
      const result = await prepared.stack.refresh({ onOutput: output });
      expect(
        changed((result.summary.resourceChanges ?? {}) as Record<string, number>),
      ).to.deep.equal({});
    });

    if (c.lifecycle) {
      it("changing spark-35's spark-defaults rolls only spark-35's Spark pods", async function () {
        this.timeout(READY_TIMEOUT_MS + 5 * 60_000);
        const ns = c.namespaceOf["spark-35"];
        const before35 = await podUids(ns, `${RELEASE_LABEL}=spark-35`);
        const before41 = await podUids(c.namespaceOf["spark-41"], `${RELEASE_LABEL}=spark-41`);
        const releases = (prepared.values["releases"] as Record<string, unknown>[]).map((r) =>
          r["name"] === "spark-35"
            ? {
                ...r,
                sparkConf: {
                  ...((r["sparkConf"] as object) ?? {}),
                  "spark.sql.shuffle.partitions": "7",
                },
              }
            : r,
        );
        const edited = await prepareLocal(c.stack, { releases });
        await up(edited.stack);
        await waitUntil("rolled pods Ready", READY_TIMEOUT_MS, async () => {
          const complaints = await platformComplaints(c.namespaces);
          return complaints.length ? complaints.join("; ") : undefined;
        });
        // Ready new pods come before the old ones finish terminating (a worker decommissions).
        const readers = [...before35.keys()].filter((n) => /^spark-35-(master|worker)-/.test(n));
        await waitUntil("replaced master and worker pods gone", 3 * 60_000, async () => {
          const now = await podUids(ns, `${RELEASE_LABEL}=spark-35`);
          const left = readers.filter((n) => now.has(n));
          return left.length ? `still there: ${left.join(", ")}` : undefined;
        });
        const after35 = await podUids(ns, `${RELEASE_LABEL}=spark-35`);
        const after41 = await podUids(c.namespaceOf["spark-41"], `${RELEASE_LABEL}=spark-41`);
        const gone35 = [...before35.keys()].filter((name) => !after35.has(name));
        expect(
          gone35.some((n) => n.startsWith("spark-35-master")),
          `rolled: ${gone35.join(",")}`,
        ).to.equal(true);
        expect(
          gone35.some((n) => n.startsWith("spark-35-worker")),
          `rolled: ${gone35.join(",")}`,
        ).to.equal(true);
        expect(
          gone35.filter((n) => /metastore|history/.test(n)),
          "metastore and history read no spark-defaults",
        ).to.deep.equal([]);
        expect(
          [...after41.entries()].filter(([n, uid]) => before41.get(n) !== uid).map(([n]) => n),
        ).to.deep.equal([]);
        prepared = edited;
        readyAt = Date.now();
      });
    }

    if (c.lifecycle) credentialRotationCheck(() => prepared, c.namespaceOf);
    if (c.lifecycle) sparkKeyRotationCheck(() => prepared, c.namespaceOf);
    if (c.lifecycle) connectCertificateRotationCheck(() => prepared, c.namespaceOf);
    // The runbook's phases, on the stack as it is now; it ends with spark-35 active again.
    if (c.lifecycle) migrationWalk(() => prepared, c.namespaceOf);

    if (c.lifecycle) {
      // The fault suite's CI faults (docs/faults.md), here on the stack the suite already
      // applied rather than on a stack of their own: the master recovery from its claim,
      // and the old charts' smoke test in the master's pod.
      const runId = newRunId();
      after(async function () {
        this.timeout(5 * 60_000);
        await deleteRun(runId, [CLIENT_PLACEMENT.namespace]);
      });

      it("fault: the 3.5 master pod killed during a spark-submit job; the job completes, workers and the application re-register from the recovery state", async function () {
        this.timeout(20 * 60_000);
        if (liveSkipped("faults")) this.skip();
        const faults = await prepareFaultContext(runId, c.namespaceOf, ["spark-35"]);
        const result = await runFault(faults.ctx, masterKillFault(c.namespaceOf["spark-35"]));
        note(`row: ${faultTable([result.row]).split("\n")[2]}`);
        for (const fact of result.facts) note(`3.5 master killed: ${fact}`);
        expect(result.complaints, result.facts.join("\n")).to.deep.equal([]);
      });

      it("smoke: spark-submit inside the 3.5 master's pod to spark://$(hostname -i):7077, event log on s3a", async function () {
        this.timeout(10 * 60_000);
        if (liveSkipped("faults")) this.skip();
        const eventLogDir = (await releaseView("spark-35", c.namespaceOf["spark-35"])).defaults[
          "spark.eventLog.dir"
        ];
        const smoke = await smokeSubmit(c.namespaceOf, eventLogDir ?? "");
        for (const fact of smoke.facts) note(`smoke: ${fact}`);
        expect(smoke.complaints).to.deep.equal([]);
      });
    }

    it("every pod still has zero restarts three minutes after the platform became Ready", async function () {
      this.timeout(STEADY_MS + 5 * 60_000);
      const wait = readyAt + STEADY_MS - Date.now();
      if (wait > 0) {
        note(`${c.stack}: waiting ${Math.round(wait / 1000)}s for three steady minutes`);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const restarted = [...(await restartCounts(c.namespaces)).entries()].filter(([, n]) => n > 0);
      expect(restarted).to.deep.equal([]);
      expect(await platformComplaints(c.namespaces)).to.deep.equal([]);
    });

    // Last before destroy: its control rewrites live spark-defaults with kubectl (and puts
    // them back), which the engine's view of those objects need not survive.
    it(`plaintext: a capture on every node finds no job marker between a client pod and its release or between the Connect server and its executors${c.lifecycle ? "; with RPC encryption off (the control) it finds each" : ""}`, async function () {
      this.timeout(45 * 60_000);
      if (liveSkipped("plaintext")) this.skip();
      const check = await plaintextCaptureCheck(c.namespaceOf, c.lifecycle, note);
      for (const run of check.runs) {
        note(
          `plaintext ${run.release} (${run.phase}): job ${run.job.phase} in ${run.job.seconds}s, ${run.job.result?.markerRows ?? 0} marker rows; marker in ${run.hits} frames; ${run.paths.map((p) => `${p.bytes} B and ${p.markerFrames} marker frames ${p.name}`).join("; ")}; marker elsewhere: ${run.elsewhere.slice(0, 3).join(", ") || "none"}`,
        );
      }
      expect(check.complaints).to.deep.equal([]);
    });

    if (c.lifecycle) {
      // After the plaintext check, for the same reason: encryption is switched off by patch.
      it("security cost: the version benchmark with RPC encryption on, then off, on the same node in one run; same answers, the ratio printed", async function () {
        this.timeout(70 * 60_000);
        if (liveSkipped("benchmark")) this.skip();
        const on = await runVersionBenchmark(prepared, c.namespaceOf, (l) =>
          note(`bench on: ${l}`),
        );
        const off = await withRpcEncryptionOff(c.namespaceOf, note, () =>
          runVersionBenchmark(prepared, c.namespaceOf, (l) => note(`bench off: ${l}`)),
        );
        for (const line of securityCostTable(on.results, off.results).split("\n")) note(line);
        expect(answerMismatches(on.results, off.results)).to.deep.equal([]);
      });
    }

    it("destroy removes the workloads and keeps the databases, roles and prefixes", async function () {
      this.timeout(15 * 60_000);
      await prepared.stack.destroy({ onOutput: output, excludeProtected: true });
      destroyed = true;
      for (const namespace of c.namespaces) {
        const left = await kubectl(
          [
            "get",
            "deployments,jobs,services,configmaps",
            "-n",
            namespace,
            "-l",
            RELEASE_LABEL,
            "-o",
            "name",
          ],
          true,
        );
        expect(left.stdout.trim(), namespace).to.equal("");
      }
      await withPg("postgres", async (pg) => {
        for (const database of Object.values(DATABASES)) {
          const db = await pg.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
          const role = await pg.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [database]);
          expect(db.rowCount, database).to.equal(1);
          expect(role.rowCount, `role ${database}`).to.equal(1);
        }
      });
      const store = await minio();
      for (const marker of MARKERS) await store.statObject("spark-logs", marker);
    });
  });
}
