import { expect } from "chai";
import { hiveSite, renderHadoopXml } from "../../../components/isolated-metastore/hiveSite";
import { historyServerDefaults, sparkDefaults } from "../../../lib/spark/defaults";
import { metastoreJdbcUrl } from "../../../lib/naming/endpoints";
import { deriveMetastorePassword } from "../../../lib/credentials/derivation";
import { MAX_RELEASE_NAME_LENGTH, NAME_SUFFIXES, releaseNames } from "../../../lib/naming/names";
import {
  daemonContainerMiB,
  jvmContainerMiB,
  memoryToMiB,
  sizeToMiB,
} from "../../../lib/units/sizes";
import { defaultSparkImage, hadoopLineOf, sparkLineOf } from "../../../lib/spark/versions";
import { baseValues, parseValid, rawConfig } from "../../support/stacks";

const config = parseValid(rawConfig(baseValues()));
const [standalone, connect] = config.releases as [
  (typeof config.releases)[0],
  (typeof config.releases)[0],
];

describe("pure: spark-defaults", () => {
  it("a standalone release logs to its prefix and talks to its own metastore and master", () => {
    const conf = sparkDefaults(config, standalone);
    expect(conf).to.deep.include({
      "spark.master": "spark://spark-35-master.spark.svc:7077",
      "spark.eventLog.enabled": "true",
      "spark.eventLog.dir": "s3a://spark-logs/3.5/events",
      "spark.hadoop.hive.metastore.uris": "thrift://spark-35-metastore.spark.svc:9083",
      "spark.sql.catalogImplementation": "hive",
      "spark.hadoop.fs.s3a.path.style.access": "true",
      "spark.hadoop.fs.s3a.connection.ssl.enabled": "false",
      "spark.hadoop.fs.s3a.aws.credentials.provider":
        "com.amazonaws.auth.EnvironmentVariableCredentialsProvider",
      "spark.worker.preferConfiguredMasterAddress": "true",
    });
    expect(Object.keys(conf).some((k) => k.startsWith("spark.kubernetes."))).to.equal(false);
  });

  it("a Connect release runs executors as pods in its namespace, reaching the driver on fixed ports", () => {
    const conf = sparkDefaults(config, connect);
    expect(conf).to.deep.include({
      "spark.master": "k8s://https://kubernetes.default.svc:443",
      "spark.submit.deployMode": "client",
      "spark.kubernetes.namespace": "spark",
      "spark.driver.port": "7078",
      "spark.blockManager.port": "7079",
      "spark.kubernetes.executor.secretKeyRef.AWS_ACCESS_KEY_ID":
        "spark-41-object-store:access-key",
      "spark.hadoop.fs.s3a.aws.credentials.provider":
        "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider",
      "spark.executor.instances": "2",
    });
  });

  it("the History Server reads exactly the prefix its release writes", () => {
    for (const release of [standalone, connect]) {
      expect(historyServerDefaults(config, release)["spark.history.fs.logDirectory"]).to.equal(
        sparkDefaults(config, release)["spark.eventLog.dir"],
      );
    }
  });
});

describe("pure: hive-site", () => {
  it("points at the release's own database and holds only a reference to the password", () => {
    const site = hiveSite(config, connect);
    expect(site["javax.jdo.option.ConnectionURL"]).to.equal(metastoreJdbcUrl(config, connect));
    expect(metastoreJdbcUrl(config, connect)).to.equal(
      "jdbc:postgresql://postgresql.spark-infra.svc:5432/metastore_spark41?sslmode=disable",
    );
    expect(site["javax.jdo.option.ConnectionUserName"]).to.equal("metastore_spark41");
    expect(site["javax.jdo.option.ConnectionPassword"]).to.equal(
      "${env.HIVE_METASTORE_DB_PASSWORD}",
    );
    expect(site["hive.metastore.schema.verification"]).to.equal("true");
    expect(site["datanucleus.schema.autoCreateAll"]).to.equal("false");
  });

  it("s3a settings follow the Hadoop of the process that reads them, not the release's Spark", () => {
    const provider = "fs.s3a.aws.credentials.provider";
    const sdkV1 = "com.amazonaws.auth.EnvironmentVariableCredentialsProvider";
    const sdkV2 = "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider";
    // Both Hive images carry Hadoop 3.3.x (AWS SDK v1), whatever their Spark release's Hadoop.
    expect(hiveSite(config, standalone)[provider]).to.equal(sdkV1);
    expect(hiveSite(config, connect)[provider]).to.equal(sdkV1);
    // Spark 3.5 bundles Hadoop 3.3.4 (SDK v1), Spark 4.1 Hadoop 3.4.2 (SDK v2); the History
    // Server runs the release's Spark.
    for (const conf of [
      sparkDefaults(config, standalone),
      historyServerDefaults(config, standalone),
    ])
      expect(conf[`spark.hadoop.${provider}`]).to.equal(sdkV1);
    for (const conf of [sparkDefaults(config, connect), historyServerDefaults(config, connect)]) {
      expect(conf[`spark.hadoop.${provider}`]).to.equal(sdkV2);
      expect(conf["spark.hadoop.fs.s3a.endpoint.region"]).to.equal("us-east-1");
    }
    expect(hadoopLineOf("3.3.6").envCredentialsProvider).to.equal(sdkV1);
    expect(hadoopLineOf("3.4.2").envCredentialsProvider).to.equal(sdkV2);
    expect(() => hadoopLineOf("3.2.4")).to.throw(/no s3a settings for Hadoop 3.2.4/);
  });

  it("renders well-formed, escaped Hadoop XML in a stable order", () => {
    const xml = renderHadoopXml({ b: "x<y&z", a: "1" });
    expect(xml).to.equal(
      '<?xml version="1.0" encoding="UTF-8"?>\n<configuration>\n' +
        "  <property>\n    <name>a</name>\n    <value>1</value>\n  </property>\n" +
        "  <property>\n    <name>b</name>\n    <value>x&lt;y&amp;z</value>\n  </property>\n" +
        "</configuration>\n",
    );
  });
});

describe("pure: names, sizes, versions, credentials", () => {
  it("every derived name of the longest allowed release name fits 63 characters", () => {
    const name = `r${"x".repeat(MAX_RELEASE_NAME_LENGTH - 1)}`;
    const names = releaseNames(name);
    const all = [
      ...NAME_SUFFIXES.map((s) => `${name}${s}`),
      names.master,
      names.networkPolicy("allow-intra-release"),
    ];
    expect(Math.max(...all.map((n) => n.length))).to.equal(63);
    expect(MAX_RELEASE_NAME_LENGTH).to.equal(40);
  });

  it("JVM sizes and container memory follow Spark's overhead rule", () => {
    expect(sizeToMiB("4g")).to.equal(4096);
    expect(sizeToMiB("768m")).to.equal(768);
    expect(() => sizeToMiB("4GB")).to.throw(/not a JVM size/);
    expect(jvmContainerMiB(1024)).to.equal(1024 + 384);
    expect(jvmContainerMiB(8192)).to.equal(8192 + 820);
    expect(daemonContainerMiB(256)).to.equal(512);
    expect(memoryToMiB("2Gi")).to.equal(2048);
  });

  it("supported lines, pinned image tags", () => {
    expect(sparkLineOf("3.5.8")?.hiveMetastoreVersion).to.equal("3.1.3");
    expect(sparkLineOf("4.0.1")).to.equal(undefined);
    expect(defaultSparkImage("3.5.7")).to.equal(
      "apache/spark:3.5.7-scala2.12-java17-python3-ubuntu",
    );
  });

  it("metastore passwords are derived per release and role, never equal, never the admin's", () => {
    const a = deriveMetastorePassword("admin", "spark-35", "metastore_spark35");
    const b = deriveMetastorePassword("admin", "spark-41", "metastore_spark41");
    expect(a).to.have.length(40);
    expect(a).not.to.equal(b);
    expect(a).not.to.contain("admin");
    expect(deriveMetastorePassword("admin", "spark-35", "metastore_spark35")).to.equal(a);
    expect(deriveMetastorePassword("rotated", "spark-35", "metastore_spark35")).not.to.equal(a);
  });
});
