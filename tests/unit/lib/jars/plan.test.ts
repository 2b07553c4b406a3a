import { expect } from "chai";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { podModels, type PodModel } from "../../../../lib/kube/analysis/pods";
import type { RawConfig } from "../../../../lib/config/model";
import { parsePlatformConfig } from "../../../../lib/config/parse";
import {
  JAR_SETS,
  artifactPath,
  jarFileName,
  sparkS3aSet,
  type JarSet,
} from "../../../../lib/jars/catalog";
import {
  CHECK_CONTAINER,
  FETCH_CONTAINER,
  HIVE_LIB_DIR,
  IMAGE_POSTGRES_DRIVER,
  IMAGE_SPARK_JARS_DIR,
  JARS_VOLUME,
  SPARK_JARS_DIR,
  hiveDriverPath,
  jarSetsFor,
  jarsVolumeSize,
} from "../../../../lib/jars/plan";
import type { KubeManifest } from "../../../../lib/kube/objects";
import { sparkLineOf } from "../../../../lib/spark/versions";
import {
  baseValues,
  ofKind,
  parseValid,
  rawConfig,
  renderRaw,
  renderStack,
  type RenderedStack,
} from "../../../support/stacks";

const componentOf = (pod: PodModel) => pod.labels["app.kubernetes.io/component"]!;
const releaseOf = (pod: PodModel) => pod.labels["spark-platform.io/release"]!;
const mainContainer = (pod: PodModel) => pod.spec.containers[0]!;
const envOf = (c: IContainer) => Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
const init = (pod: PodModel, name: string) =>
  (pod.spec.initContainers ?? []).find((c) => c.name === name);

/**
 * Spark components that get s3a: those whose JVM opens s3a:// paths, and the standalone
 * master, whose pod mounts spark-defaults with the event log on s3a (the standalone
 * benchmark runs a driver too).
 */
const S3A_PODS = ["master", "worker", "connect", "executor", "history"];
const HIVE_PODS = ["metastore", "schema-init"];

function s3aSetOf(stack: RenderedStack, pod: PodModel): JarSet {
  const release = stack.config.releases.find((r) => r.name === releaseOf(pod))!;
  return sparkS3aSet(release.line.line)!;
}

/**
 * What a Spark JVM in this pod has on its classpath from the platform: the jar paths the
 * fetch init container writes into the volume the main container mounts at the directory
 * SPARK_DIST_CLASSPATH names, or (source: image) the jars the check requires in /opt/spark/jars.
 */
function sparkClasspathJars(pod: PodModel, releaseImage: string): string[] {
  const fetch = init(pod, FETCH_CONTAINER);
  if (fetch) {
    const main = mainContainer(pod);
    const cp = envOf(main)["SPARK_DIST_CLASSPATH"];
    if (cp !== `${SPARK_JARS_DIR}/*`) return [];
    const mounted = (main.volumeMounts ?? []).find((m) => m.mountPath === SPARK_JARS_DIR);
    const written = (fetch.volumeMounts ?? []).find((m) => m.mountPath === SPARK_JARS_DIR);
    if (!mounted || !written || mounted.name !== written.name || mounted.subPath) return [];
    if (!pod.spec.volumes?.some((v) => v.name === mounted.name && v.emptyDir)) return [];
    return (fetch.command ?? [])
      .filter((a) => /^[^|\s]+\|[0-9a-f]{64}\|\d+$/.test(a))
      .map((a) => a.split("|")[0]!);
  }
  const check = init(pod, CHECK_CONTAINER);
  // An executor template's container has no image: Spark gives it the release image.
  if (!check || check.image !== (mainContainer(pod).image ?? releaseImage)) return [];
  const script = check.command?.[2] ?? "";
  return [...script.matchAll(/\[ -f '\/opt\/spark\/jars\/([^']+)' \]/g)].map((m) => m[1]!);
}

for (const stackName of ["dev", "prod", "local", "local-prod"] as const) {
  describe(`jars: the ${stackName} stack with the official images`, () => {
    let stack: RenderedStack;
    let pods: PodModel[];
    before(async () => {
      stack = await renderStack(stackName);
      pods = podModels(stack.manifests);
    });

    it("every Spark pod has hadoop-aws + the SDK of its own line on its classpath", () => {
      const sparkPods = pods.filter((p) => S3A_PODS.includes(componentOf(p)));
      expect(sparkPods.map(componentOf)).to.include.members(S3A_PODS);
      for (const pod of sparkPods) {
        const set = s3aSetOf(stack, pod);
        const version = pod.labels["app.kubernetes.io/version"]!;
        expect(set.name, pod.origin).to.equal(`spark-${sparkLineOf(version)!.line}-s3a`);
        const image = stack.config.releases.find((r) => r.name === releaseOf(pod))!.image;
        expect(sparkClasspathJars(pod, image), pod.origin).to.have.members(
          set.artifacts.map(artifactPath),
        );
      }
    });

    it("the standalone master fetches the same jars as its workers (spark-submit in it opens s3a)", () => {
      const masters = pods.filter((p) => componentOf(p) === "master");
      expect(masters).to.have.length.greaterThan(0);
      for (const master of masters) {
        const worker = pods.find(
          (p) => componentOf(p) === "worker" && releaseOf(p) === releaseOf(master),
        )!;
        expect(init(master, FETCH_CONTAINER)?.command, master.origin).to.deep.equal(
          init(worker, FETCH_CONTAINER)?.command,
        );
        expect(envOf(mainContainer(master))["SPARK_DIST_CLASSPATH"]).to.equal(
          `${SPARK_JARS_DIR}/*`,
        );
      }
    });

    it("every Hive pod has a SCRAM-capable driver in place of (or before) the image's own", () => {
      const hive = pods.filter((p) => HIVE_PODS.includes(componentOf(p)));
      expect(hive.map(componentOf)).to.include.members(HIVE_PODS);
      const driver = JAR_SETS["hive-postgres-driver"].artifacts[0]!;
      for (const pod of hive) {
        const hiveVersion = pod.labels["app.kubernetes.io/version"]!;
        const main = mainContainer(pod);
        const mount = (main.volumeMounts ?? []).find((m) => m.name === JARS_VOLUME)!;
        expect(mount, pod.origin).to.not.equal(undefined);
        // bin/hive puts /opt/hive/lib/*.jar first: the downloaded driver takes the shipped
        // driver's own file (3.1.3: 9.4.1208), so no older driver stays on the classpath.
        const shipped = IMAGE_POSTGRES_DRIVER[hiveVersion];
        expect(mount.mountPath, pod.origin).to.equal(
          `${HIVE_LIB_DIR}/${shipped ?? jarFileName(driver)}`,
        );
        expect(mount.subPath).to.equal(jarFileName(driver));
        const fetch = init(pod, FETCH_CONTAINER)!;
        expect(fetch.command, pod.origin).to.include(
          `${artifactPath(driver)}|${driver.sha256}|${driver.bytes}`,
        );
        const check = init(pod, CHECK_CONTAINER)!;
        expect(check.image, "check runs the Hive image").to.equal(main.image);
        expect(check.volumeMounts).to.deep.equal([mount]);
        expect(check.command?.[2]).to.include(`for f in ${HIVE_LIB_DIR}/postgresql-*.jar`);
        const tools = envOf(main)["HADOOP_OPTIONAL_TOOLS"];
        expect(tools, pod.origin).to.equal(
          componentOf(pod) === "metastore" ? "hadoop-aws" : undefined,
        );
      }
    });

    it("init containers are restricted, small, and print their one line into the pod status", () => {
      for (const pod of pods) {
        for (const c of pod.spec.initContainers ?? []) {
          expect(c.securityContext?.readOnlyRootFilesystem, `${pod.origin} ${c.name}`).to.equal(
            true,
          );
          expect(c.terminationMessagePolicy).to.equal("FallbackToLogsOnError");
          expect(c.resources?.requests?.["cpu"]).to.equal("50m");
        }
      }
    });

    it("only pods that download get egress, to the repository's port", () => {
      const policies = ofKind<INetworkPolicy & KubeManifest>(
        stack.manifests,
        "NetworkPolicy",
      ).filter((p) => p.metadata?.name?.endsWith("-allow-jar-repository"));
      expect(policies.map((p) => p.metadata?.name).sort()).to.deep.equal(
        stack.config.releases.map((r) => `${r.name}-allow-jar-repository`).sort(),
      );
      for (const p of policies) {
        const components = p.spec!.podSelector.matchExpressions![0]!.values!;
        const { jars } = stack.config;
        const ports = [{ protocol: "TCP", port: jars.port }];
        // Central (dev, prod) by port only; the local stacks' mirror through its ipBlock.
        expect(p.spec!.egress).to.deep.equal([
          jars.egressCidrs.length
            ? { to: jars.egressCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports }
            : { ports },
        ]);
        if (stackName === "dev" || stackName === "prod") expect(jars.port).to.equal(443);
        const release = p.metadata!.labels!["spark-platform.io/release"];
        const downloaders = pods.filter(
          (pod) => releaseOf(pod) === release && init(pod, FETCH_CONTAINER),
        );
        expect([...new Set(downloaders.map(componentOf))]).to.have.members(components);
      }
    });
  });
}

function withJars(jars: Record<string, unknown>, extra: Record<string, unknown> = {}): RawConfig {
  return rawConfig({ ...baseValues(), ...extra, jars });
}

describe("jars: configuration and decisions", () => {
  it("defaults to downloading from Maven Central over 443", () => {
    const config = parseValid(rawConfig(baseValues()));
    expect(config.jars).to.deep.equal({
      repository: "https://repo1.maven.org/maven2",
      source: "download",
      egressCidrs: [],
      host: "repo1.maven.org",
      port: 443,
    });
  });

  it("a mirror: trailing slash dropped, its port used, egressCidrs kept", () => {
    const config = parseValid(
      withJars({
        repository: "http://maven-mirror.spark-infra.svc:8081/",
        egressCidrs: ["10.201.0.1/32"],
      }),
    );
    expect(config.jars).to.deep.include({
      repository: "http://maven-mirror.spark-infra.svc:8081",
      host: "maven-mirror.spark-infra.svc",
      port: 8081,
      egressCidrs: ["10.201.0.1/32"],
    });
  });

  const refused = (jars: Record<string, unknown>) => {
    const result = parsePlatformConfig(withJars(jars));
    expect(result.ok, JSON.stringify(jars)).to.equal(false);
    return result.ok ? [] : result.issues.map((i) => `${i.key}: ${i.message}`);
  };

  it("refuses unknown keys, bad repositories, bad CIDRs and download keys with source: image", () => {
    expect(refused({ repo: "https://x" })[0]).to.match(/^spark-platform:jars\.repo: unknown key/);
    expect(refused({ repository: "ftp://mirror/maven2" })[0]).to.match(
      /jars\.repository: must be an http\(s\) URL/,
    );
    expect(refused({ repository: "https://user:pw@mirror/maven2" })[0]).to.include(
      "without credentials",
    );
    expect(refused({ repository: "https://mirror/maven2?x=1" })[0]).to.include("jars.repository");
    expect(refused({ source: "cache" })[0]).to.include("jars.source");
    expect(refused({ egressCidrs: ["10.0.0.1"] })[0]).to.include("jars.egressCidrs[0]");
    expect(refused({ source: "image", repository: "https://mirror/maven2" })).to.deep.equal([
      "spark-platform:jars.repository: configures the jar download, which jars.source: image turns off; remove it or use source: download",
    ]);
  });

  it("decides which pods get which set", () => {
    const config = parseValid(rawConfig(baseValues()));
    const [r35, r41] = config.releases;
    const names = (sets: JarSet[]) => sets.map((s) => s.name);
    expect(names(jarSetsFor(r35!, "master"))).to.deep.equal(["spark-3.5-s3a"]);
    expect(names(jarSetsFor(r35!, "worker"))).to.deep.equal(["spark-3.5-s3a"]);
    expect(names(jarSetsFor(r35!, "history"))).to.deep.equal(["spark-3.5-s3a"]);
    expect(names(jarSetsFor(r35!, "benchmark"))).to.deep.equal(["spark-3.5-s3a"]);
    expect(names(jarSetsFor(r41!, "connect"))).to.deep.equal(["spark-4.1-s3a"]);
    expect(names(jarSetsFor(r41!, "executor"))).to.deep.equal(["spark-4.1-s3a"]);
    expect(names(jarSetsFor(r41!, "benchmark"))).to.deep.equal([]);
    for (const r of [r35!, r41!]) {
      expect(names(jarSetsFor(r, "metastore"))).to.deep.equal(["hive-postgres-driver"]);
      expect(names(jarSetsFor(r, "schema-init"))).to.deep.equal(["hive-postgres-driver"]);
    }
    // A 4.1 release in standalone mode: its master and workers take the 4.1 set.
    const values = baseValues();
    const releases = values["releases"] as Record<string, unknown>[];
    releases[1] = {
      ...releases[1],
      mode: "standalone",
      standalone: { workers: 1, workerCores: 2, workerMemory: "4g" },
    };
    const standalone41 = parseValid(rawConfig(values)).releases[1]!;
    expect(names(jarSetsFor(standalone41, "master"))).to.deep.equal(["spark-4.1-s3a"]);
    expect(names(jarSetsFor(standalone41, "worker"))).to.deep.equal(["spark-4.1-s3a"]);
    expect(names(jarSetsFor(standalone41, "benchmark"))).to.deep.equal(["spark-4.1-s3a"]);
    expect(hiveDriverPath(r35!, JAR_SETS["hive-postgres-driver"].artifacts[0]!)).to.equal(
      "/opt/hive/lib/postgresql-9.4.1208.jre7.jar",
    );
    expect(hiveDriverPath(r41!, JAR_SETS["hive-postgres-driver"].artifacts[0]!)).to.equal(
      "/opt/hive/lib/postgresql-42.7.14.jar",
    );
    // The emptyDir holds the set with room to spare, never the whole node's disk.
    expect(jarsVolumeSize(JAR_SETS["spark-3.5-s3a"].artifacts)).to.equal("14Mi");
    expect(jarsVolumeSize(JAR_SETS["spark-4.1-s3a"].artifacts)).to.equal("19Mi");
  });
});

describe("jars: rendered with a mirror, and with derived images", function () {
  this.timeout(60_000);

  it("a mirror: downloads from it; egress only to the given CIDRs on its port", async () => {
    const stack = await renderRaw(
      withJars({
        repository: "http://maven-mirror.spark-infra.svc:8081",
        egressCidrs: ["10.201.0.1/32"],
      }),
    );
    const pods = podModels(stack.manifests);
    const fetches = pods.flatMap((p) =>
      init(p, FETCH_CONTAINER) ? [init(p, FETCH_CONTAINER)!] : [],
    );
    expect(fetches.length).to.be.greaterThan(5);
    for (const f of fetches)
      expect(f.command![4]).to.equal("http://maven-mirror.spark-infra.svc:8081");
    for (const p of ofKind<INetworkPolicy>(stack.manifests, "NetworkPolicy").filter((n) =>
      n.metadata?.name?.endsWith("-allow-jar-repository"),
    )) {
      expect(p.spec!.egress).to.deep.equal([
        { to: [{ ipBlock: { cidr: "10.201.0.1/32" } }], ports: [{ protocol: "TCP", port: 8081 }] },
      ]);
    }
  });

  it("source: image: no download, no egress; each pod checks its own image for its jars", async () => {
    const stack = await renderRaw(withJars({ source: "image" }));
    const pods = podModels(stack.manifests);
    expect(pods.filter((p) => init(p, FETCH_CONTAINER))).to.deep.equal([]);
    expect(
      stack.manifests.filter((m) => m.metadata?.name?.endsWith("-allow-jar-repository")),
    ).to.deep.equal([]);
    for (const pod of pods.filter((p) => S3A_PODS.includes(componentOf(p)))) {
      const release = stack.config.releases.find((r) => r.name === releaseOf(pod))!;
      expect(sparkClasspathJars(pod, release.image), pod.origin).to.have.members(
        sparkS3aSet(release.line.line)!.artifacts.map(jarFileName),
      );
      expect(envOf(mainContainer(pod))).not.to.have.property("SPARK_DIST_CLASSPATH");
      expect(init(pod, CHECK_CONTAINER)!.command![2]).to.include(
        `(looked in ${IMAGE_SPARK_JARS_DIR})`,
      );
    }
    for (const pod of pods.filter((p) => HIVE_PODS.includes(componentOf(p)))) {
      const check = init(pod, CHECK_CONTAINER)!;
      expect(check.image).to.equal(mainContainer(pod).image);
      expect(check.command![2]).to.include("[ -f '/opt/hive/lib/postgresql-42.7.14.jar' ]");
      expect(mainContainer(pod).volumeMounts?.some((m) => m.name === JARS_VOLUME)).to.equal(false);
    }
  });
});
