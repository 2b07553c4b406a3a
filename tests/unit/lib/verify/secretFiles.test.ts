import { expect } from "chai";
import { secretsAsFiles } from "../../../../lib/verify/secretFiles";
import { editableManifests, failing, find, objectsOf, type Loose } from "../../../support/verifier";

/** Gives a Deployment's first container `name` from `secret`/`key` as env: the regression. */
function addSecretEnv(
  manifests: Loose[],
  deployment: string,
  name: string,
  secret: string,
  key: string,
) {
  find(manifests, "Deployment", deployment).spec.template.spec.containers[0].env.push({
    name,
    valueFrom: { secretKeyRef: { name: secret, key } },
  });
}

describe("lib/verify/secretFiles: credentials as files", () => {
  it("passes the prod stack: only the 3.5 daemons keep _SPARK_AUTH_SECRET as env", async () => {
    const results = secretsAsFiles(objectsOf(await editableManifests("prod")));
    expect(failing(results)).to.deep.equal([]);
    const withEnv = results.filter((r) => r.detail.includes("as env")).map((r) => r.subject);
    expect(withEnv).to.deep.equal([
      "Deployment/spark-35/spark-35-master",
      "Deployment/spark-35/spark-35-worker",
    ]);
  });

  it("fails a metastore that takes its password as env again, and a pod with envFrom a Secret", async () => {
    const manifests = await editableManifests("dev");
    addSecretEnv(
      manifests,
      "spark-35-metastore",
      "HIVE_METASTORE_DB_PASSWORD",
      "spark-35-metastore-db",
      "password",
    );
    const history = find(manifests, "Deployment", "spark-41-history").spec.template.spec;
    history.containers[0].envFrom = [
      { secretRef: { name: "spark-41-history-object-store" } } as Loose,
    ];
    expect(failing(secretsAsFiles(objectsOf(manifests)))).to.deep.equal([
      "Deployment/spark/spark-35-metastore: container metastore takes HIVE_METASTORE_DB_PASSWORD from Secret spark-35-metastore-db as env; mount the key as a file",
      "Deployment/spark/spark-41-history: container history takes all of Secret spark-41-history-object-store as env (envFrom)",
    ]);
  });

  it("fails _SPARK_AUTH_SECRET as env outside the standalone daemons", async () => {
    const manifests = await editableManifests("dev");
    addSecretEnv(
      manifests,
      "spark-41-connect",
      "_SPARK_AUTH_SECRET",
      "spark-41-spark-auth",
      "secret",
    );
    expect(failing(secretsAsFiles(objectsOf(manifests)))).to.deep.equal([
      "Deployment/spark/spark-41-connect: container connect takes _SPARK_AUTH_SECRET from Secret spark-41-spark-auth as env; mount the key as a file",
    ]);
  });
});
