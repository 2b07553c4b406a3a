import { expect } from "chai";
import {
  historyServerDefaults,
  masterRecoveryProperties,
  sparkDefaults,
} from "../../../../lib/spark/defaults";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";

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
        "com.amazonaws.auth.EnvironmentVariableCredentialsProvider,com.amazonaws.auth.profile.ProfileCredentialsProvider",
      "spark.worker.preferConfiguredMasterAddress": "true",
    });
    expect(Object.keys(conf).some((k) => k.startsWith("spark.kubernetes."))).to.equal(false);
  });

  it("a standalone application that does not size itself fits a worker", () => {
    const sized = (standaloneValues: Record<string, unknown>) => {
      const values = baseValues();
      const releases = values["releases"] as Record<string, unknown>[];
      releases[0]!["standalone"] = standaloneValues;
      const parsed = parseValid(rawConfig(values));
      return sparkDefaults(parsed, parsed.releases[0]!)["spark.executor.memory"];
    };
    // Spark's 1g default on a worker that has it, the worker's all on a smaller one.
    expect(sized({ workerMemory: "4g" })).to.equal("1024m");
    expect(sized({ workerMemory: "768m" })).to.equal("768m");
    expect(sized({ workerMemory: "4g", executorMemory: "3g" })).to.equal("3072m");
  });

  it("a Connect release runs executors as pods in its namespace, reaching the driver on fixed ports", () => {
    const conf = sparkDefaults(config, connect);
    expect(conf).to.deep.include({
      "spark.master": "k8s://https://kubernetes.default.svc:443",
      "spark.submit.deployMode": "client",
      "spark.kubernetes.namespace": "spark",
      "spark.driver.port": "7078",
      "spark.blockManager.port": "7079",
      "spark.hadoop.fs.s3a.aws.credentials.provider":
        "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider,software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider",
      "spark.executor.instances": "2",
    });
  });

  it("a Connect server's event log rolls at the smallest size 4.1 accepts; a standalone application's does not", () => {
    expect(sparkDefaults(config, connect)).to.deep.include({
      "spark.eventLog.rolling.enabled": "true",
      "spark.eventLog.rolling.maxFileSize": "2m",
    });
    expect(sparkDefaults(config, standalone)).to.not.have.any.keys(
      "spark.eventLog.rolling.enabled",
      "spark.eventLog.rolling.maxFileSize",
    );
    const values = baseValues();
    const releases = values["releases"] as Record<string, unknown>[];
    releases[1]!["historyServer"] = { prefix: "4.1/events", rollingMaxFileSize: "8m" };
    const parsed = parseValid(rawConfig(values));
    expect(
      sparkDefaults(parsed, parsed.releases[1]!)["spark.eventLog.rolling.maxFileSize"],
    ).to.equal("8m");
  });

  it("the History Server reads exactly the prefix its release writes", () => {
    for (const release of [standalone, connect]) {
      expect(historyServerDefaults(config, release)["spark.history.fs.logDirectory"]).to.equal(
        sparkDefaults(config, release)["spark.eventLog.dir"],
      );
    }
  });

  it("master recovery: FILESYSTEM in a directory per Spark version, never in spark-defaults", () => {
    expect(masterRecoveryProperties(standalone)).to.deep.equal({
      "spark.deploy.recoveryMode": "FILESYSTEM",
      "spark.deploy.recoveryDirectory": "/var/data/master-recovery/3.5.7",
    });
    expect(masterRecoveryProperties(connect)).to.deep.equal({});
    for (const release of [standalone, connect]) {
      const keys = Object.keys(sparkDefaults(config, release));
      expect(keys.filter((k) => k.startsWith("spark.deploy."))).to.deep.equal([]);
    }
    const off = {
      ...standalone,
      standalone: { ...standalone.standalone!, recovery: { enabled: false, size: "128Mi" } },
    };
    expect(masterRecoveryProperties(off)).to.deep.equal({});
  });
});
