import { expect } from "chai";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import { benchmarkConfigMap } from "../../../components/benchmark/manifests";
import type { PlatformConfig, ReleaseConfig } from "../../../lib/config/model";
import { NetworkModel } from "../../../lib/kube/analysis/networkPolicy";
import {
  baseValues,
  ofKind,
  rawConfig,
  renderRaw,
  renderStack,
  type RenderedStack,
} from "../../support/stacks";

const CLIENT_IMAGE = "registry.example/pyspark-client:4.1.0";

function withBenchmark(): Record<string, unknown> {
  return {
    ...baseValues(),
    benchmark: { enabled: true, rows: 2_000_000, partitions: 16, image: CLIENT_IMAGE },
  };
}

const releaseOf = (config: PlatformConfig, name: string): ReleaseConfig =>
  config.releases.find((r) => r.name === name)!;

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
