import { expect } from "chai";
import { executorPodTemplate } from "../../components/spark-release/manifests/connect";
import { workerDeployment } from "../../components/spark-release/manifests/standalone";
import { sparkS3aSet } from "../../lib/jars/catalog";
import { downloaderItems } from "../../lib/jars/scripts";
import { CHECK_CONTAINER, FETCH_CONTAINER, SPARK_JARS_DIR } from "../../lib/jars/plan";
import { CLIENT_PLACEMENT, clientPod, newRunId, podSecurityWarnings } from "./clients";
import {
  CHECK_NAMES,
  JOB_CHECK_ORDER,
  clientCopies,
  clientJars,
  connectJobPod,
  databaseName,
  CONNECT_CLIENT_DIR,
  downloaderArtifacts,
  eventDataWritten,
  eventLogPlacement,
  foreignApplications,
  executorSecurityComplaints,
  executorsThatWorked,
  historyComplaints,
  ownedBy,
  parseJobResult,
  s3aLocation,
  scratchDirsLike,
  standaloneJobPod,
  standaloneSubmitArgs,
  type ReleaseView,
} from "./jobs";
import type { KubeObject } from "./support";
import { baseValues, parseValid, rawConfig } from "../support/stacks";

const MIRROR = "http://maven-mirror.spark-infra.svc:8081";

function config(jars?: Record<string, unknown>) {
  return parseValid(rawConfig({ ...baseValues(), ...(jars ? { jars } : {}) }));
}
const release35 = (c: ReturnType<typeof config>) => c.releases.find((r) => r.name === "spark-35")!;
const podSpecOf = (d: { spec?: { template?: { spec?: unknown } } }) =>
  d.spec!.template!.spec as unknown as Record<string, unknown>;

describe("live jobs: pure parts (tests/cluster/jobs.ts)", () => {
  it("reads the last IT-RESULT line of a job log, and nothing from a log without one", () => {
    const log = [
      "25/12/01 INFO SparkContext: Running Spark version 3.5.7",
      'IT-RESULT {"mode": "standalone", "rows": [[1, "alpha"]], "databases": ["default"]}',
      'IT-RESULT {"mode": "standalone", "rows": [[2, "beta"]], "databases": ["default", "x"]}',
    ].join("\n");
    expect(parseJobResult(log)?.rows).to.deep.equal([[2, "beta"]]);
    expect(parseJobResult("Traceback (most recent call last):\n  boom")).to.equal(undefined);
  });

  it("names databases per run and release in Hive's lower case, without dashes", () => {
    const run = newRunId(Date.UTC(2026, 11, 1));
    expect(run).to.match(/^it[a-z0-9]+$/);
    expect(databaseName(run, "spark-35")).to.equal(`${run}_spark35`);
    expect(databaseName("ItX", "spark-41")).to.equal("itx_spark41");
  });

  it("splits s3a URLs into bucket and prefix, and refuses other schemes", () => {
    expect(s3aLocation("s3a://spark-logs/3.5/events")).to.deep.equal({
      bucket: "spark-logs",
      prefix: "3.5/events",
    });
    expect(s3aLocation("s3a://spark-logs/warehouse/spark-41/")).to.deep.equal({
      bucket: "spark-logs",
      prefix: "warehouse/spark-41",
    });
    expect(() => s3aLocation("s3://spark-logs/x")).to.throw(/not an s3a/);
  });

  it("finds an application's event log under its own prefix (3.5 file, 4.1 directory) and anywhere else", () => {
    const keys = [
      "3.5/events/.keep",
      "3.5/events/app-20261201103000-0001",
      "4.1/events/eventlog_v2_spark-abc123/events_1_spark-abc123.zstd",
      "4.1/events/eventlog_v2_spark-abc123/appstatus_spark-abc123.inprogress",
      "3.5/events/eventlog_v2_spark-abc123/events_1_spark-abc123.zstd",
    ];
    expect(eventLogPlacement("app-20261201103000-0001", keys, "3.5/events")).to.deep.equal({
      own: ["3.5/events/app-20261201103000-0001"],
      elsewhere: [],
    });
    const placed = eventLogPlacement("spark-abc123", keys, "4.1/events");
    expect(placed.own).to.have.length(2);
    expect(placed.elsewhere).to.deep.equal([
      "3.5/events/eventlog_v2_spark-abc123/events_1_spark-abc123.zstd",
    ]);
    // A prefix is a directory: 4.1/events-old is not under 4.1/events.
    expect(eventLogPlacement("x1", ["4.1/events-old/x1"], "4.1/events").elsewhere).to.have.length(
      1,
    );
  });

  it("event data: a rolling log with only its appstatus marker has none; History listings outside the prefix are foreign", () => {
    const keys = [
      "3.5/events/app-1",
      "4.1/events/eventlog_v2_spark-a/appstatus_spark-a.inprogress",
      "4.1/events/eventlog_v2_spark-b/appstatus_spark-b",
      "4.1/events/eventlog_v2_spark-b/events_1_spark-b.zstd",
    ];
    expect(eventDataWritten("app-1", keys, "3.5/events")).to.equal(true);
    expect(eventDataWritten("spark-a", keys, "4.1/events")).to.equal(false);
    expect(eventDataWritten("spark-b", keys, "4.1/events")).to.equal(true);
    expect(eventDataWritten("spark-b", keys, "3.5/events")).to.equal(false);
    expect(
      foreignApplications([{ id: "spark-b" }, { id: "app-1" }, { id: "gone" }], keys, "4.1/events"),
    ).to.deep.equal(["app-1", "gone"]);
  });

  it("counts only executors (not the driver) whose task count grew during the job", () => {
    const before = [
      { id: "driver", totalTasks: 0 },
      { id: "1", hostPort: "10.244.0.9:7079", totalTasks: 4 },
    ];
    const after = [
      { id: "driver", totalTasks: 9 },
      { id: "1", hostPort: "10.244.0.9:7079", totalTasks: 10 },
      { id: "2", hostPort: "10.244.0.10:7079", totalTasks: 0 },
    ];
    expect(executorsThatWorked(before, after).map((e) => e.id)).to.deep.equal(["1"]);
    expect(executorsThatWorked(before, before)).to.deep.equal([]);
    expect(executorsThatWorked(null, { error: "HTTP 404" })).to.deep.equal([]);
    expect(executorsThatWorked(undefined, after).map((e) => e.id)).to.deep.equal(["1"]);
  });

  it("History Server: complains of a missing own application and of any of the other release's", () => {
    const apps = [{ id: "app-1" }, { id: "spark-9" }];
    expect(historyComplaints("spark-35", apps, "app-1", "spark-8")).to.deep.equal([]);
    expect(historyComplaints("spark-35", apps, "app-2", undefined)[0]).to.match(
      /does not list spark-35's application app-2/,
    );
    expect(historyComplaints("spark-35", apps, "app-1", "spark-9")[0]).to.match(
      /lists spark-41's application spark-9/,
    );
  });

  it("gives the client the worker's s3a jars when the product downloads them (same downloader, repository, artifacts)", () => {
    const c = config({ repository: MIRROR, egressCidrs: ["10.201.0.1/32"] });
    const worker = podSpecOf(workerDeployment(c, release35(c)));
    const jars = clientJars(worker, "3.5", "apache/spark:3.5.7-scala2.12-java17-python3-ubuntu");
    const fetch = jars.initContainers[0] as { name: string; command: string[] };
    const workerFetch = (worker["initContainers"] as { name: string; command: string[] }[]).find(
      (i) => i.name === FETCH_CONTAINER,
    )!;
    expect(fetch.name).to.equal(FETCH_CONTAINER);
    expect(fetch.command[4]).to.equal(MIRROR);
    expect(downloaderArtifacts(fetch.command)).to.deep.equal(
      downloaderArtifacts(workerFetch.command),
    );
    expect(downloaderArtifacts(fetch.command)).to.deep.equal(
      downloaderItems(sparkS3aSet("3.5")!.artifacts),
    );
    expect(jars.env).to.deep.equal([
      { name: "SPARK_DIST_CLASSPATH", value: `${SPARK_JARS_DIR}/*` },
    ]);
    expect(jars.mounts).to.deep.equal([
      { name: "platform-jars", mountPath: SPARK_JARS_DIR, readOnly: true },
    ]);
  });

  it("adds no jars when the product's worker only checks its image (jars.source image)", () => {
    const c = config({ source: "image" });
    const worker = podSpecOf(workerDeployment(c, release35(c)));
    expect((worker["initContainers"] as { name: string }[]).map((i) => i.name)).to.deep.equal([
      CHECK_CONTAINER,
    ]);
    const jars = clientJars(worker, "3.5", "img");
    expect(jars.initContainers).to.deep.equal([]);
    expect(jars.how).to.match(/image/);
  });

  it("mirrors the worker's writable emptyDirs a client lacks (spark.local.dir), never read-only or existing ones", () => {
    const spec = {
      volumes: [
        { name: "tmp", emptyDir: {} },
        { name: "spark-local", emptyDir: { sizeLimit: "2Gi" } },
        { name: "platform-jars", emptyDir: {} },
        { name: "spark-conf", configMap: { name: "spark-35-spark-defaults" } },
      ],
      containers: [
        {
          volumeMounts: [
            { name: "spark-conf", mountPath: "/opt/spark/conf-release", readOnly: true },
            { name: "tmp", mountPath: "/tmp" },
            { name: "spark-local", mountPath: "/var/data/spark-local" },
            { name: "platform-jars", mountPath: SPARK_JARS_DIR, readOnly: true },
          ],
        },
      ],
    };
    expect(scratchDirsLike(spec, ["/tmp"])).to.deep.equal({
      volumes: [{ name: "like-spark-local", emptyDir: { sizeLimit: "2Gi" } }],
      mounts: [{ name: "like-spark-local", mountPath: "/var/data/spark-local" }],
    });
    const c = config();
    const worker = podSpecOf(workerDeployment(c, release35(c)));
    const mirrored = scratchDirsLike(worker, ["/tmp", "/opt/spark/work-dir", SPARK_JARS_DIR]);
    expect(mirrored.mounts.map((m) => m["mountPath"])).to.not.include.members([
      "/tmp",
      "/opt/spark/work-dir",
      SPARK_JARS_DIR,
    ]);
  });

  it("submits in client deploy mode to the given master with the driver on the pod IP and fixed ports", () => {
    const args = standaloneSubmitArgs(
      "spark://spark-35-master.spark.svc:7077",
      "it-x",
      "768m",
      "1",
    );
    const after = (flag: string) => args[args.indexOf(flag) + 1];
    expect(after("--master")).to.equal("spark://spark-35-master.spark.svc:7077");
    expect(after("--deploy-mode")).to.equal("client");
    expect(after("--executor-memory")).to.equal("768m");
    expect(args).to.include("spark.driver.host=$(POD_IP)");
    expect(args).to.include("spark.driver.port=7078");
    expect(args[args.length - 1]).to.equal("/opt/it/it_job.py");
  });

  it("client pods are Pod Security restricted, no token, no service links, IfNotPresent", () => {
    const pod = clientPod({
      name: "it-job-spark-35-x",
      namespace: "spark",
      runId: "x",
      image: "img",
      clientOf: "spark-35",
      args: ["true"],
      initContainers: [{ name: "fetch-jars", image: "img" }],
    }) as unknown as {
      metadata: { labels: Record<string, string> };
      spec: Record<string, unknown> & {
        containers: Record<string, unknown>[];
        initContainers: Record<string, unknown>[];
      };
    };
    expect(pod.metadata.labels).to.deep.equal({
      "spark-platform.io/it-run": "x",
      "spark-platform.io/client-of": "spark-35",
    });
    expect(pod.spec["automountServiceAccountToken"]).to.equal(false);
    expect(pod.spec["enableServiceLinks"]).to.equal(false);
    expect(pod.spec["securityContext"]).to.deep.include({ runAsNonRoot: true, runAsUser: 185 });
    const c = pod.spec.containers[0]!;
    expect(c["imagePullPolicy"]).to.equal("IfNotPresent");
    expect(pod.spec.initContainers[0]!["imagePullPolicy"]).to.equal("IfNotPresent");
    expect(c["securityContext"]).to.deep.include({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
    });
    expect(executorSecurityComplaints({ metadata: { name: "p" }, spec: pod.spec })).to.deep.equal(
      [],
    );
    const unlabelled = clientPod({ name: "n", namespace: "s", runId: "x", image: "i", args: [] });
    expect(unlabelled.metadata.labels).to.not.have.property("spark-platform.io/client-of");
  });

  it("job pods run in the client placement under its account; a standalone driver mounts the platform's client Secret and the run's copies there", () => {
    const view: ReleaseView = {
      release: "spark-35",
      namespace: "spark",
      image: "spark:3.5.7",
      defaults: {},
      sparkDefaultsData: { "spark-defaults.conf": "spark.master spark://x:7077\n" },
      workerPodSpec: { containers: [{ name: "worker", image: "spark:3.5.7" }] },
    };
    const copies = clientCopies(view, "r1", { AWS_ACCESS_KEY_ID: "YQ==" });
    expect(
      copies.objects.map((o) => {
        const m = o["metadata"] as { name: string; namespace: string; labels: object };
        return [o["kind"], m.namespace, m.name, m.labels];
      }),
    ).to.deep.equal([
      [
        "ConfigMap",
        "airflow",
        "it-spark-35-spark-defaults-r1",
        { "spark-platform.io/it-run": "r1" },
      ],
      ["Secret", "airflow", "it-spark-35-object-store-r1", { "spark-platform.io/it-run": "r1" }],
    ]);
    expect(copies.objects[0]!["data"]).to.deep.equal(view.sparkDefaultsData);
    expect(copies.objects[1]!["data"]).to.deep.equal({ AWS_ACCESS_KEY_ID: "YQ==" });

    expect(copies.side.authSecret).to.equal("spark-35-spark-client");
    const { pod } = standaloneJobPod(view, copies.side, "r1", "scripts");
    const spec = pod["spec"] as {
      serviceAccountName: string;
      volumes: {
        name: string;
        configMap?: { name: string };
        secret?: { secretName: string; items: { key: string; path: string }[] };
      }[];
      containers: {
        args: string[];
        env: { valueFrom?: { secretKeyRef?: { name: string } } }[];
      }[];
    };
    expect((pod["metadata"] as { namespace: string }).namespace).to.equal(
      CLIENT_PLACEMENT.namespace,
    );
    expect(spec.serviceAccountName).to.equal(CLIENT_PLACEMENT.serviceAccount);
    // SPARK_CONF_DIR is the platform's client Secret: the release's spark-defaults and secret.
    expect(spec.volumes.find((v) => v.name === "spark-conf")).to.deep.include({
      secret: {
        secretName: "spark-35-spark-client",
        items: [{ key: "spark-defaults.conf", path: "spark-defaults.conf" }],
        defaultMode: 0o440,
      },
    });
    expect(spec.containers[0]!.args.join(" ")).to.not.contain("spark.authenticate");
    // Without the secret: the run's copy of the ConfigMap, and no authentication at all.
    const bare = standaloneJobPod(view, copies.side, "r1", "scripts", { withoutSecret: true }).pod[
      "spec"
    ] as typeof spec;
    expect(bare.volumes.find((v) => v.name === "spark-conf")?.configMap?.name).to.equal(
      "it-spark-35-spark-defaults-r1",
    );
    expect(bare.volumes.some((v) => v.secret)).to.equal(false);
    expect(bare.containers[0]!.args).to.include("spark.authenticate=false");
    // Encryption off too: Spark refuses it without authentication before reaching the master.
    expect(bare.containers[0]!.args).to.include("spark.network.crypto.enabled=false");
    const secrets = spec.containers[0]!.env.flatMap((e) =>
      e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.name] : [],
    );
    expect([...new Set(secrets)]).to.deep.equal(["it-spark-35-object-store-r1"]);
    // Without its copies a standalone driver cannot start: refused before any pod is made.
    expect(() => standaloneJobPod(view, { ...CLIENT_PLACEMENT }, "r1", "scripts")).to.throw(
      /needs its copies in airflow/,
    );

    const connect = connectJobPod(
      { ...view, release: "spark-41", workerPodSpec: undefined },
      CLIENT_PLACEMENT,
      "r1",
      "scripts",
    ) as unknown as {
      metadata: { namespace: string };
      spec: {
        serviceAccountName: string;
        containers: { env: { name: string; value?: string }[] }[];
      };
    };
    expect(connect.metadata.namespace).to.equal("airflow");
    expect(connect.spec.serviceAccountName).to.equal("airflow-worker");
    // The server is addressed in the release's namespace, not the client's.
    expect(
      connect.spec.containers[0]!.env.find((e) => e.name === "IT_CONNECT_URL")?.value,
    ).to.equal("sc://spark-41-connect.spark.svc:15002/;use_ssl=true");
    // The token and the CA come from the platform's client Secret of that namespace, mounted.
    const env = Object.fromEntries(
      connect.spec.containers[0]!.env.map((e) => [e.name, e.value ?? ""]),
    );
    const mounted = (
      connect.spec as unknown as { volumes: { name: string; secret?: { secretName: string } }[] }
    ).volumes.find((v) => v.secret?.secretName === "spark-41-connect-client");
    expect(mounted, "the client Secret is a volume").to.not.equal(undefined);
    expect(env["IT_CONNECT_TOKEN_FILE"]).to.equal(`${CONNECT_CLIENT_DIR}/token`);
    expect(env["GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"]).to.equal(`${CONNECT_CLIENT_DIR}/ca.crt`);
    expect(JSON.stringify(connect), "no token value in the pod").to.not.match(/token=/);
  });

  it("executor checks: the product's pod template passes, a template without its settings fails", () => {
    const c = config();
    const release = c.releases.find((r) => r.name === "spark-41")!;
    const template = executorPodTemplate(c, release) as { spec: Record<string, unknown> };
    expect(
      executorSecurityComplaints({ metadata: { name: "e" }, spec: template.spec }),
    ).to.deep.equal([]);
    const stripped: KubeObject = {
      metadata: { name: "e" },
      spec: { containers: [{ name: "executor" }] },
    };
    expect(executorSecurityComplaints(stripped)).to.have.length(7);
  });

  it("ownership: an executor belongs to the server pod by name and uid", () => {
    const server: KubeObject = { metadata: { name: "spark-41-connect-abc", uid: "u1" } };
    const owned = (uid: string): KubeObject => ({
      metadata: {
        name: "spark-41-x-exec-1",
        ownerReferences: [{ kind: "Pod", name: "spark-41-connect-abc", uid } as never],
      },
    });
    expect(ownedBy(owned("u1"), server)).to.equal(true);
    expect(ownedBy(owned("u0"), server)).to.equal(false);
  });

  it("Pod Security warnings on stderr are caught", () => {
    expect(
      podSecurityWarnings(
        'Warning: would violate PodSecurity "restricted:latest": runAsNonRoot != true\npod/x created',
      ),
    ).to.have.length(1);
    expect(podSecurityWarnings("pod/x created\n")).to.deep.equal([]);
  });

  it("every check checkJobs returns has one unique name in the suite's order (the restart check is opt-in)", () => {
    const all = Object.values(CHECK_NAMES).flatMap((v) =>
      typeof v === "string" ? [v] : Object.values(v),
    );
    expect(new Set(JOB_CHECK_ORDER).size).to.equal(JOB_CHECK_ORDER.length);
    expect([...JOB_CHECK_ORDER, CHECK_NAMES.serverRestart].sort()).to.deep.equal([...all].sort());
  });
});
