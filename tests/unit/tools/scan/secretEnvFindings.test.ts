import { expect } from "chai";
import { allowedSecretEnvResources, splitFindings } from "../../../../tools/scan/secretEnvFindings";

describe("tools/scan/secretEnvFindings", () => {
  const allowed = allowedSecretEnvResources([
    { namespace: "spark", master: "spark-35-master", worker: "spark-35-worker" },
  ]);

  it("allows only the standalone daemons, by checkov's Kind.namespace.name", () => {
    expect(allowed).to.deep.equal([
      "Deployment.spark.spark-35-master",
      "Deployment.spark.spark-35-worker",
    ]);
  });

  it("reports anything else as unexpected (a metastore or a Job back on env)", () => {
    expect(
      splitFindings(
        [
          "Deployment.spark.spark-35-worker",
          "Job.spark.spark-35-metastore-schema-init",
          "Deployment.spark.spark-41-metastore",
        ],
        allowed,
      ),
    ).to.deep.equal({
      allowed: ["Deployment.spark.spark-35-worker"],
      unexpected: [
        "Deployment.spark.spark-41-metastore",
        "Job.spark.spark-35-metastore-schema-init",
      ],
    });
  });
});
