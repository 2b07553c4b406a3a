import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { resolve } from "../../../../tools/render/evaluate";
import { SparkPlatformStack } from "../../../../lib/contract/reader";
import { renderStack } from "../../../support/stacks";

/** Mocks a platform stack whose outputs are what the prod program exports. */
async function mockPlatformStack(): Promise<void> {
  const { evaluation } = await renderStack("prod");
  const credentials = await resolve(evaluation.exports.metastoreCredentials);
  const outputs = {
    releases: evaluation.exports.releases,
    jobRouting: evaluation.exports.jobRouting,
    metastoreCredentials: credentials,
  };
  await pulumi.runtime.setMocks(
    {
      newResource: (args) =>
        args.type === "pulumi:pulumi:StackReference"
          ? {
              id: args.inputs["name"],
              state: { ...args.inputs, outputs, secretOutputNames: ["metastoreCredentials"] },
            }
          : { id: `${args.name}-id`, state: args.inputs },
      call: (args) => args.inputs,
    },
    "consumer",
    "dev",
  );
}

describe("SparkPlatformStack: typed reader for other stacks", () => {
  before(mockPlatformStack);

  it("reads a release and a job route", async () => {
    const platform = new SparkPlatformStack("organization/spark-platform/prod");
    const release = await resolve(platform.release("spark-41"));
    expect(release.connectUrl).to.equal("sc://spark-41-connect.spark-41.svc:15002/;use_ssl=true");
    const route = await resolve(platform.jobRoute("daily-sales-rollup"));
    expect(route).to.deep.include({
      release: "spark-35",
      sparkVersion: "3.5.7",
      mode: "standalone",
    });
    expect(route.connectionUrl).to.equal("spark://spark-35-master.spark-35.svc:7077");
  });

  it("keeps metastore credentials secret", async () => {
    const platform = new SparkPlatformStack("organization/spark-platform/prod");
    const credentials = platform.metastoreCredentials("spark-35");
    expect(await pulumi.isSecret(credentials)).to.equal(true);
    expect((await resolve(credentials)).username).to.equal("metastore_spark35");
  });

  it("gives a job's client pod its label in a granted namespace, and refuses an ungranted one by name", async () => {
    const platform = new SparkPlatformStack("organization/spark-platform/prod");
    // A Connect client needs the release's client Secret there (token, CA)...
    expect(await resolve(platform.clientPod("clickstream-sessionize", "airflow"))).to.deep.equal({
      namespace: "airflow",
      labels: { "spark-platform.io/client-of": "spark-41" },
      authSecret: "spark-41-connect-client",
    });
    // ... and a standalone release's driver its own (spark-defaults with the secret).
    expect(await resolve(platform.clientPod("daily-sales-rollup", "airflow"))).to.deep.equal({
      namespace: "airflow",
      labels: { "spark-platform.io/client-of": "spark-35" },
      authSecret: "spark-35-spark-client",
    });
    const refused = await (
      platform.clientPod("daily-sales-rollup", "team-data-science") as unknown as {
        promise(): Promise<unknown>;
      }
    )
      .promise()
      .then(
        () => "no error",
        (e: Error) => e.message,
      );
    expect(refused).to.contain(
      "release spark-35 (job daily-sales-rollup) admits no client pods from namespace team-data-science (granted: team-pipelines, airflow)",
    );
  });

  it("names the missing release or job", async () => {
    const platform = new SparkPlatformStack("organization/spark-platform/prod");
    // Output.promise() is how the SDK itself awaits an output; an error thrown inside
    // apply rejects it.
    const failure = (output: pulumi.Output<unknown>) =>
      (output as unknown as { promise(): Promise<unknown> }).promise().then(
        () => "no error",
        (e: Error) => e.message,
      );
    expect(await failure(platform.release("spark-99"))).to.contain(
      "no release spark-99 (has: spark-35, spark-41)",
    );
    expect(await failure(platform.jobRoute("nightly"))).to.contain("job nightly is not routed");
  });
});
