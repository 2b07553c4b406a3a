import { expect } from "chai";
import { Job } from "kubernetes-models/batch/v1/Job";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import {
  benchmarkConfigMap,
  benchmarkJob,
  benchmarkResultDir,
} from "../../../components/benchmark/manifests";
import type { PlatformConfig, ReleaseConfig } from "../../../lib/config/model";
import { parsePlatformConfig } from "../../../lib/config/parse";
import { NetworkModel } from "../../../lib/kube/analysis/networkPolicy";
import { CLIENT_LABEL, RELEASE_LABEL } from "../../../lib/kube/objects";
import { MAX_RELEASE_NAME_LENGTH } from "../../../lib/naming/names";
import { restrictedViolations } from "../../../lib/kube/podSecurity";
import {
  baseValues,
  ofKind,
  parseValid,
  rawConfig,
  renderRaw,
  renderStack,
  type RenderedStack,
} from "../../support/stacks";

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CREDENTIALS = ["admin-secret", "access-secret", "secret-secret"];
const CLIENT_IMAGE = "registry.example/pyspark-client:4.1.0";

function withBenchmark(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...baseValues(),
    benchmark: { enabled: true, rows: 2_000_000, partitions: 16, image: CLIENT_IMAGE },
    ...extra,
  };
}

function configOf(values: Record<string, unknown>): PlatformConfig {
  return parseValid(rawConfig(values));
}

const releaseOf = (config: PlatformConfig, name: string): ReleaseConfig =>
  config.releases.find((r) => r.name === name)!;
const containerOf = (job: IJob): IContainer => job.spec!.template.spec!.containers[0]!;
const envOf = (job: IJob) =>
  Object.fromEntries((containerOf(job).env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));

describe("benchmark manifests", () => {
  const config = configOf(withBenchmark());
  const standalone = releaseOf(config, "spark-35");
  const connect = releaseOf(config, "spark-41");

  it("names the Job and ConfigMap <release>-benchmark(-conf), valid DNS-1123 labels up to 63", () => {
    const longName = `s${"x".repeat(MAX_RELEASE_NAME_LENGTH - 1)}`;
    const values = withBenchmark();
    const releases = values["releases"] as Record<string, unknown>[];
    releases[0] = { ...releases[0], name: longName };
    const long = releaseOf(configOf(values), longName);
    for (const release of [standalone, connect, long]) {
      const names = [
        benchmarkJob(config, release).metadata!.name!,
        benchmarkConfigMap(release).metadata!.name!,
      ];
      expect(names).to.deep.equal([`${release.name}-benchmark`, `${release.name}-benchmark-conf`]);
      for (const name of names) {
        expect(name, name).to.match(DNS_1123_LABEL);
        expect(name.length, name).to.be.at.most(63);
      }
    }
    expect(long.name.length).to.equal(MAX_RELEASE_NAME_LENGTH);
  });

  it("validates against the Kubernetes schema", () => {
    for (const release of [standalone, connect]) {
      expect(() => new Job(benchmarkJob(config, release)).validate()).not.to.throw();
      expect(() => new ConfigMap(benchmarkConfigMap(release)).validate()).not.to.throw();
    }
  });

  it("standalone: spark-submit to the release's own master, in client mode", () => {
    const args = containerOf(benchmarkJob(config, standalone)).args!;
    expect(args[0]).to.equal("/opt/spark/bin/spark-submit");
    expect(args[args.indexOf("--master") + 1]).to.equal("spark://spark-35-master.spark.svc:7077");
    expect(args[args.indexOf("--deploy-mode") + 1]).to.equal("client");
    expect(args[args.length - 1]).to.equal("/opt/spark/benchmark/benchmark.py");
    // One executor per worker fits what each worker offers (768m would not fit a 1g default).
    expect(args[args.indexOf("--executor-memory") + 1]).to.equal("4096m");
    expect(args).to.include("spark.driver.host=$(POD_IP)");
    expect(containerOf(benchmarkJob(config, standalone)).image).to.equal(standalone.image);
  });

  it("connect: a Python Connect client of the release's own server", () => {
    const job = benchmarkJob(config, connect);
    expect(containerOf(job).image).to.equal(CLIENT_IMAGE);
    expect(containerOf(job).args).to.deep.equal(["python3", "/opt/spark/benchmark/benchmark.py"]);
    expect(envOf(job)["BENCH_CONNECT_URL"]).to.equal("sc://spark-41-connect.spark.svc:15002");
    expect(benchmarkConfigMap(connect).data!["benchmark.py"]).to.contain(
      'SparkSession.builder.remote(os.environ["BENCH_CONNECT_URL"])',
    );
  });

  it("refuses a Connect benchmark without benchmark.image, naming the key and a client image", () => {
    const { image: _image, ...noImage } = withBenchmark()["benchmark"] as Record<string, unknown>;
    const result = parsePlatformConfig(rawConfig({ ...baseValues(), benchmark: noImage }));
    expect(result.ok).to.equal(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((i) => i.key)).to.deep.equal(["spark-platform:benchmark.image"]);
    expect(issues[0]!.message)
      .to.contain("grpcio, pandas or pyarrow")
      .and.contain("spark-platform/pyspark-client:4.1.0");
    expect(issues[0]!.releases).to.deep.equal(["spark-41"]);
    // Standalone-only, or the Connect release decommissioned: the release image is enough.
    const values = baseValues();
    const releases = values["releases"] as Record<string, unknown>[];
    releases[1] = { ...releases[1], decommissioned: true };
    expect(parsePlatformConfig(rawConfig({ ...values, benchmark: noImage })).ok).to.equal(true);
  });

  it("targets the release's namespace with the perRelease layout", () => {
    const perRelease = configOf(withBenchmark({ namespaceLayout: "perRelease" }));
    const s = releaseOf(perRelease, "spark-35");
    const c = releaseOf(perRelease, "spark-41");
    const args = containerOf(benchmarkJob(perRelease, s)).args!;
    expect(args[args.indexOf("--master") + 1]).to.equal(
      "spark://spark-35-master.spark-35.svc:7077",
    );
    expect(envOf(benchmarkJob(perRelease, c))["BENCH_CONNECT_URL"]).to.equal(
      "sc://spark-41-connect.spark-41.svc:15002",
    );
  });

  it("runs the same workload everywhere; only environment differs", () => {
    expect(benchmarkConfigMap(standalone).data).to.deep.equal(benchmarkConfigMap(connect).data);
    const script = benchmarkConfigMap(standalone).data!["benchmark.py"]!;
    for (const piece of ["spark.range(0, ROWS, 1, PARTITIONS)", ".groupBy(", ".join("]) {
      expect(script).to.contain(piece);
    }
    for (const job of [benchmarkJob(config, standalone), benchmarkJob(config, connect)]) {
      expect(envOf(job)).to.include({ BENCH_ROWS: "2000000", BENCH_PARTITIONS: "16" });
    }
  });

  it("uses only write modes both the classic and the Spark Connect writer accept", () => {
    // Spark Connect's DataFrameWriter maps append/overwrite/error/ignore only: the long
    // "errorifexists" fails the Connect run after every query has been timed.
    const script = benchmarkConfigMap(connect).data!["benchmark.py"]!;
    const modes = [...script.matchAll(/\.mode\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(modes).to.have.length.greaterThan(0);
    for (const mode of modes) expect(["append", "overwrite", "error", "ignore"]).to.include(mode);
  });

  it("writes results under the release's own event-log prefix, never another release's", () => {
    expect(benchmarkResultDir(standalone)).to.equal("s3a://spark-logs/3.5/events/benchmark");
    expect(benchmarkResultDir(connect)).to.equal("s3a://spark-logs/4.1/events/benchmark");
    for (const release of [standalone, connect]) {
      const dir = envOf(benchmarkJob(config, release))["BENCH_RESULT_DIR"] as string;
      expect(dir).to.equal(benchmarkResultDir(release));
      expect(dir.startsWith(`${release.history.eventLogDir}/`)).to.equal(true);
      for (const other of config.releases.filter((r) => r.name !== release.name)) {
        for (const prefix of [other.history.eventLogDir, other.warehouseDir]) {
          expect(dir.startsWith(`${prefix}/`) || dir === prefix, `${dir} vs ${prefix}`).to.equal(
            false,
          );
        }
      }
    }
  });

  it("holds no credential literals; the standalone driver reads the release's Secret", () => {
    for (const release of [standalone, connect]) {
      const text = JSON.stringify([benchmarkJob(config, release), benchmarkConfigMap(release)]);
      for (const credential of CREDENTIALS) expect(text).not.to.contain(credential);
    }
    const env = containerOf(benchmarkJob(config, standalone)).env!;
    const keys = env.filter((e) => e.name.startsWith("AWS_"));
    expect(keys.map((e) => [e.name, e.value, e.valueFrom?.secretKeyRef?.name])).to.deep.equal([
      ["AWS_ACCESS_KEY_ID", undefined, "spark-35-object-store"],
      ["AWS_SECRET_ACCESS_KEY", undefined, "spark-35-object-store"],
    ]);
    // The Connect server writes the result; its client pod holds no keys at all.
    const clientEnv = containerOf(benchmarkJob(config, connect)).env!;
    expect(clientEnv.filter((e) => e.name.startsWith("AWS_"))).to.deep.equal([]);
  });

  it("pods follow Pod Security restricted and the platform's pod rules", () => {
    for (const release of [standalone, connect]) {
      const job = benchmarkJob(config, release);
      const pod = job.spec!.template;
      const spec = pod.spec!;
      expect(restrictedViolations(spec), release.name).to.deep.equal([]);
      expect(spec.securityContext).to.include({ runAsUser: 185, runAsNonRoot: true });
      expect(containerOf(job).securityContext).to.include({ readOnlyRootFilesystem: true });
      expect(spec).to.include({
        enableServiceLinks: false,
        automountServiceAccountToken: false,
        restartPolicy: "Never",
        serviceAccountName: `${release.name}-spark`,
      });
      expect(spec.volumes!.map((v) => v.name)).to.include("tmp");
      expect(containerOf(job).volumeMounts!.map((m) => m.mountPath)).to.include("/tmp");
      expect(containerOf(job).resources!.limits).to.have.property("memory");
      expect(pod.metadata!.labels).to.include({
        [RELEASE_LABEL]: release.name,
        [CLIENT_LABEL]: release.name,
        "app.kubernetes.io/component": "benchmark",
      });
      expect(job.spec!.backoffLimit).to.equal(0);
    }
  });
});

describe("benchmark in the program", () => {
  let enabled: RenderedStack;
  let oneDecommissioned: RenderedStack;

  before(async () => {
    enabled = await renderRaw(rawConfig(withBenchmark()));
    const values = withBenchmark();
    const releases = values["releases"] as Record<string, unknown>[];
    releases[0] = { ...releases[0], decommissioned: true };
    oneDecommissioned = await renderRaw(rawConfig(values));
  });

  const benchmarkObjects = (stack: RenderedStack) =>
    stack.manifests
      .filter((m) => m.metadata?.name?.includes("-benchmark"))
      .map((m) => `${m.kind}/${m.metadata!.name}`)
      .sort();

  it("is absent unless benchmark.enabled", async () => {
    const dev = await renderStack("dev");
    expect(dev.config.benchmark.enabled).to.equal(false);
    expect(benchmarkObjects(dev)).to.deep.equal([]);
    expect(dev.resources.filter((r) => r.type.includes("SparkBenchmark"))).to.deep.equal([]);
  });

  it("defines one Job and ConfigMap per active release when enabled", () => {
    expect(benchmarkObjects(enabled)).to.deep.equal([
      "ConfigMap/spark-35-benchmark-conf",
      "ConfigMap/spark-41-benchmark-conf",
      "Job/spark-35-benchmark",
      "Job/spark-41-benchmark",
    ]);
    const components = enabled.resources.filter(
      (r) => r.type === "spark-platform:benchmark:SparkBenchmark",
    );
    expect(components.map((c) => c.name).sort()).to.deep.equal([
      "spark-35-benchmark",
      "spark-41-benchmark",
    ]);
    for (const job of enabled.resources.filter((r) => r.type === "kubernetes:batch/v1:Job")) {
      if (!job.name.endsWith("-benchmark")) continue;
      expect(job.parent).to.match(
        new RegExp(`spark-platform:benchmark:SparkBenchmark::${job.name}$`),
      );
    }
  });

  it("waits for its release: the Job depends on the release's Spark objects", () => {
    const job = enabled.resources.find((r) => r.name === "spark-35-benchmark" && r.custom)!;
    expect(job.dependencies.some((urn) => urn.endsWith("::spark-35-master"))).to.equal(true);
    expect(job.dependencies.some((urn) => urn.includes("spark-41"))).to.equal(false);
  });

  it("skips a decommissioned release", () => {
    expect(benchmarkObjects(oneDecommissioned)).to.deep.equal([
      "ConfigMap/spark-41-benchmark-conf",
      "Job/spark-41-benchmark",
    ]);
  });

  it("NetworkPolicies let each benchmark reach its own release only", () => {
    const model = new NetworkModel(enabled.manifests);
    const podOf = (name: string) => {
      const job = ofKind<IJob>(enabled.manifests, "Job").find((j) => j.metadata!.name === name)!;
      return { namespace: job.metadata!.namespace!, labels: job.spec!.template.metadata!.labels! };
    };
    const deploymentPod = (name: string) => {
      const d = enabled.manifests.find(
        (m) => m.kind === "Deployment" && m.metadata!.name === name,
      ) as unknown as {
        metadata: { namespace: string };
        spec: { template: { metadata: { labels: Record<string, string> } } };
      };
      return { namespace: d.metadata.namespace, labels: d.spec.template.metadata.labels };
    };
    const bench35 = podOf("spark-35-benchmark");
    const bench41 = podOf("spark-41-benchmark");
    const master35 = deploymentPod("spark-35-master");
    const worker35 = deploymentPod("spark-35-worker");
    const connect41 = deploymentPod("spark-41-connect");
    expect(model.canReach(bench35, master35, 7077)).to.equal(true);
    // Executors on the workers connect back to the driver in the benchmark pod.
    expect(model.canReach(worker35, bench35, 7078)).to.equal(true);
    expect(model.canReach(bench41, connect41, 15002)).to.equal(true);
    expect(model.canReach(bench35, connect41, 15002)).to.equal(false);
    expect(model.canReach(bench41, master35, 7077)).to.equal(false);
  });

  it("the ConfigMaps in the program are the pure builders' output", () => {
    const cm = ofKind<IConfigMap>(enabled.manifests, "ConfigMap").find(
      (c) => c.metadata!.name === "spark-41-benchmark-conf",
    )!;
    expect(cm.data).to.deep.equal(benchmarkConfigMap(releaseOf(enabled.config, "spark-41")).data);
  });
});
