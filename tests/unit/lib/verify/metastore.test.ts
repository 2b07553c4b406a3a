import { expect } from "chai";
import { metastoreIsolation } from "../../../../lib/verify/metastore";
import { editableManifests, failing, find, objectsOf, type Loose } from "../../../support/verifier";

describe("lib/verify/metastore: metastore isolation", () => {
  it("fails a hive-site.xml that points at the other release's database", async () => {
    const manifests = await editableManifests("prod");
    const conf = find(manifests, "ConfigMap", "spark-35-metastore-conf");
    conf.data["hive-site.xml"] = conf.data["hive-site.xml"].replace(
      "/metastore_spark35?",
      "/metastore_spark41?",
    );
    const problems = failing(metastoreIsolation(objectsOf(manifests)));
    // The Job reads hive-site alone; the Deployment's -D flag still names its own database,
    // and the disagreement itself is reported.
    expect(problems.join("\n")).to.include(
      "Job/spark-35/spark-35-metastore-schema-init: database metastore_spark41 is also used by Deployment/spark-41/spark-41-metastore (release spark-41)",
    );
    expect(problems.join("\n")).to.match(
      /Deployment\/spark-35\/spark-35-metastore: hive-site.xml names \S+\/metastore_spark41\?\S* but its start-up flags connect to \S+\/metastore_spark35\?/,
    );
    expect(problems.join("\n")).to.include(
      "Deployment/spark-41/spark-41-metastore: database metastore_spark41 is also used by Job/spark-35/spark-35-metastore-schema-init (release spark-35)",
    );
  });

  it("reads a JDBC URL overridden by a -D flag in the environment", async () => {
    const manifests = await editableManifests("dev");
    const env = find(manifests, "Deployment", "spark-41-metastore").spec.template.spec.containers[0]
      .env;
    const opts = env.find((e: Loose) => e.name === "SERVICE_OPTS");
    opts.value +=
      " -Djavax.jdo.option.ConnectionURL=jdbc:postgresql://postgresql.spark-infra.svc:5432/metastore_spark35";
    const problems = failing(metastoreIsolation(objectsOf(manifests))).join("\n");
    expect(problems).to.match(
      /Deployment\/spark\/spark-41-metastore: .*database metastore_spark35 is also used by Deployment\/spark\/spark-35-metastore/,
    );
  });

  it("fails a metastore that takes its password from the other release's Secret", async () => {
    const manifests = await editableManifests("dev");
    const volumes = find(manifests, "Deployment", "spark-35-metastore").spec.template.spec.volumes;
    volumes.find((v: Loose) => v.name === "hive-db-password").secret.secretName =
      "spark-41-metastore-db";
    expect(failing(metastoreIsolation(objectsOf(manifests)))).to.deep.equal([
      "Deployment/spark/spark-35-metastore: references Secret spark/spark-41-metastore-db of release spark-41",
    ]);
  });
});
