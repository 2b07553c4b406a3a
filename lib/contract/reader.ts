import * as pulumi from "@pulumi/pulumi";
import type { JobRoute, MetastoreCredentials, ReleaseOutput } from "./outputs";

/**
 * Typed access to a spark-platform stack's outputs from another stack (Airflow,
 * notebooks): `new SparkPlatformStack("org/spark-platform/prod").release("spark-41")`.
 * Missing releases or jobs fail the consumer's update with a message naming them,
 * instead of surfacing later as an undefined URL.
 */
export class SparkPlatformStack {
  /** The underlying StackReference. */
  public readonly reference: pulumi.StackReference;

  /**
   * @param stackName fully qualified stack name, e.g. `organization/spark-platform/prod`
   *   (with a self-managed backend: `organization/spark-platform/<stack>`).
   * @param opts resource options for the StackReference (e.g. a parent).
   */
  constructor(stackName: string, opts?: pulumi.CustomResourceOptions) {
    this.reference = new pulumi.StackReference(
      `spark-platform-${stackName.replace(/\//g, "-")}`,
      { name: stackName },
      opts,
    );
  }

  /** Every release of the platform stack, keyed by release name. */
  public releases(): pulumi.Output<Record<string, ReleaseOutput>> {
    return this.reference.requireOutput("releases") as pulumi.Output<Record<string, ReleaseOutput>>;
  }

  /** One release; fails if the platform stack has no such release. */
  public release(name: string): pulumi.Output<ReleaseOutput> {
    return this.releases().apply((releases) => {
      const release = releases[name];
      if (!release) {
        throw new Error(
          `spark-platform stack ${this.reference.name}: no release ${name} (has: ${Object.keys(releases).join(", ")})`,
        );
      }
      return release;
    });
  }

  /** Where a job runs: release, Spark version, connection URL, metastore, event-log dir. */
  public jobRoute(jobId: string): pulumi.Output<JobRoute> {
    const routing = this.reference.requireOutput("jobRouting") as pulumi.Output<
      Record<string, JobRoute>
    >;
    return routing.apply((routes) => {
      const route = routes[jobId];
      if (!route) {
        throw new Error(
          `spark-platform stack ${this.reference.name}: job ${jobId} is not routed (known jobs: ${Object.keys(routes).join(", ")})`,
        );
      }
      return route;
    });
  }

  /**
   * What a job's client pod needs to reach its release from `namespace`: the label to
   * carry, and the Secret in `namespace` its client mounts (`authSecret`; the job route's
   * `authentication` says how): for a standalone release `spark-defaults.conf` with the
   * release's authentication secret (the release refuses a driver without it), for a
   * Connect release `token` and `ca.crt` (the server refuses a session without the token,
   * over TLS). Fails the consumer's update, naming the
   * namespaces the release grants, when `namespace` is not one of them: such a pod would be
   * refused at admission and reach nothing (the platform team grants namespaces in
   * `releases[].clients`).
   */
  public clientPod(
    jobId: string,
    namespace: string,
  ): pulumi.Output<{
    readonly namespace: string;
    readonly labels: Record<string, string>;
    readonly authSecret?: string;
  }> {
    return pulumi.all([this.jobRoute(jobId), this.releases()]).apply(([route, releases]) => {
      const granted = releases[route.release]?.clientNamespaces ?? [];
      if (!granted.includes(namespace)) {
        throw new Error(
          `spark-platform stack ${this.reference.name}: release ${route.release} (job ${jobId}) admits no client pods from namespace ${namespace} (granted: ${granted.join(", ") || "none"}); ask the platform team to add it to releases[].clients`,
        );
      }
      const authSecret = releases[route.release]?.clientSecret;
      return {
        namespace,
        labels: { [route.clientPodLabel.key]: route.clientPodLabel.value },
        ...(authSecret ? { authSecret } : {}),
      };
    });
  }

  /** A release's metastore credentials; the Output stays secret. */
  public metastoreCredentials(release: string): pulumi.Output<MetastoreCredentials> {
    const all = this.reference.requireOutput("metastoreCredentials") as pulumi.Output<
      Record<string, MetastoreCredentials>
    >;
    return pulumi.secret(
      all.apply((credentials) => {
        const entry = credentials[release];
        if (!entry)
          throw new Error(
            `spark-platform stack ${this.reference.name}: no metastore for release ${release}`,
          );
        return entry;
      }),
    );
  }
}
