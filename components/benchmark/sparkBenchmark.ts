import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, ReleaseConfig } from "../../lib/config/model";
import { childRegistrar } from "../../lib/kube/register";
import { benchmarkConfigMap, benchmarkJob, benchmarkResultDir, benchmarkTarget } from "./manifests";

export interface SparkBenchmarkArgs {
  /** Validated platform configuration; `benchmark.rows`, `.partitions` and `.image` are read. */
  readonly platform: PlatformConfig;
  /** The (active) release to benchmark: its URL, ServiceAccount, Secret and prefix are used. */
  readonly release: ReleaseConfig;
  /** Namespace name, as the output of its Namespace resource. */
  readonly namespace: pulumi.Input<string>;
  /**
   * What the run must wait for: the release's SparkRelease, metastore and event-log
   * prefix. A benchmark against a cluster that is still starting would time its start-up.
   */
  readonly after?: readonly pulumi.Resource[];
}

/**
 * A benchmark Job that runs the same Spark SQL workload (count, group-by, join over
 * `spark.range` data) against one release: `spark-submit` to the standalone master, or a
 * Python Spark Connect client. The result (wall time per query, application id) is
 * printed by the pod and written under the release's own event-log prefix;
 * `npm run bench-report` puts the releases side by side.
 */
export class SparkBenchmark extends pulumi.ComponentResource {
  /** The benchmark program (`benchmark.py`) the Job runs. */
  public readonly script: k8s.core.v1.ConfigMap;
  /** The benchmark run, started once the release is up. */
  public readonly job: k8s.batch.v1.Job;
  /** Name of the Job (`<release>-benchmark`): `kubectl logs job/<name>` shows the result. */
  public readonly jobName: pulumi.Output<string>;
  /** `s3a://…/<event-log prefix>/benchmark`: where each run writes its result. */
  public readonly resultDir: pulumi.Output<string>;
  /** Master or Connect URL the benchmark runs against. */
  public readonly target: pulumi.Output<string>;

  constructor(name: string, args: SparkBenchmarkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("spark-platform:benchmark:SparkBenchmark", name, {}, opts);
    const { platform, release } = args;

    const register = childRegistrar(this, args.namespace);
    this.script = register(benchmarkConfigMap(release));
    this.job = register(benchmarkJob(platform, release), [this.script, ...(args.after ?? [])]);

    this.jobName = pulumi.output(release.names.benchmark);
    this.resultDir = pulumi.output(benchmarkResultDir(release));
    this.target = pulumi.output(benchmarkTarget(release));

    this.registerOutputs({
      jobName: this.jobName,
      resultDir: this.resultDir,
      target: this.target,
    });
  }
}
