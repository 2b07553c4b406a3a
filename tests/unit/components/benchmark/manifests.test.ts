import { expect } from "chai";
import { Job } from "kubernetes-models/batch/v1/Job";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IContainer } from "kubernetes-models/v1/Container";
import {
  benchmarkConfigMap,
  benchmarkJob,
  benchmarkResultDir,
} from "../../../../components/benchmark/manifests";
import type { PlatformConfig, ReleaseConfig } from "../../../../lib/config/model";
import { parsePlatformConfig } from "../../../../lib/config/parse";
import { CLIENT_LABEL, RELEASE_LABEL } from "../../../../lib/kube/objects";
import { MAX_RELEASE_NAME_LENGTH } from "../../../../lib/naming/names";
import { restrictedViolations } from "../../../../lib/kube/podSecurity";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";

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
    expect(envOf(job)["BENCH_CONNECT_URL"]).to.equal(
      "sc://spark-41-connect.spark.svc:15002/;use_ssl=true",
    );
    const script = benchmarkConfigMap(connect).data!["benchmark.py"]!;
    expect(script).to.contain("SparkSession.builder.remote(connect_url())");
    expect(script).to.contain('if key == "spark.connect.authenticate.token":');
    // The server's token (in its spark-defaults) and certificate chain, never its key.
    const spec = job.spec!.template.spec!;
    const auth = spec.volumes!.find((v) => v.secret?.secretName === "spark-41-connect-server");
    expect(auth?.secret?.items?.map((i) => i.key)).to.deep.equal([
      "spark-defaults.conf",
      "tls.crt",
    ]);
    const mount = containerOf(job).volumeMounts!.find((m) => m.name === auth?.name);
    expect(envOf(job)["BENCH_CONNECT_CONF"]).to.equal(`${mount?.mountPath}/spark-defaults.conf`);
    expect(envOf(job)["GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"]).to.equal(`${mount?.mountPath}/tls.crt`);
    expect(JSON.stringify(job)).to.not.match(/token=/);
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
      "sc://spark-41-connect.spark-41.svc:15002/;use_ssl=true",
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
    // The standalone driver reads the keys' file from the release's object-store Secret.
    const job = benchmarkJob(config, standalone);
    const env = containerOf(job).env!;
    const keys = env.filter((e) => e.name.startsWith("AWS_"));
    expect(keys.map((e) => [e.name, e.value, e.valueFrom])).to.deep.equal([
      [
        "AWS_CREDENTIAL_PROFILES_FILE",
        "/etc/spark-platform/object-store/aws-credentials",
        undefined,
      ],
    ]);
    const volume = job.spec!.template.spec!.volumes!.find(
      (v) => v.name === "object-store-credentials",
    );
    expect(volume?.secret).to.deep.include({
      secretName: "spark-35-object-store",
      items: [{ key: "aws-credentials", path: "aws-credentials" }],
    });
    expect(containerOf(job).volumeMounts).to.deep.include({
      name: "object-store-credentials",
      mountPath: "/etc/spark-platform/object-store",
      readOnly: true,
    });
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
        "app.kubernetes.io/component": "benchmark",
      });
      // A pod of the release, not a client: the release's client policy would refuse the
      // label in a namespace its clients list does not grant.
      expect(pod.metadata!.labels).to.not.have.property(CLIENT_LABEL);
      expect(job.spec!.backoffLimit).to.equal(0);
    }
  });
});
