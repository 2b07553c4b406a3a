import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CONNECT_POD_ENV,
  connectServerScript,
} from "../../../../components/spark-release/connectServer";
import { connectDeployment } from "../../../../components/spark-release/manifests/connect";
import { sparkDefaults } from "../../../../lib/spark/defaults";
import type { ReleaseConfig } from "../../../../lib/config/model";
import {
  MAX_RELEASE_NAME_LENGTH,
  SPARK_EXECUTOR_NAME_RESERVED,
} from "../../../../lib/naming/names";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";

const config = parseValid(rawConfig(baseValues()));
const connect = config.releases.find((r) => r.mode === "connect")!;

/** Spark's check of spark.kubernetes.executor.podNamePrefix (Config.scala): DNS labels, 63 - 16. */
const SPARK_PREFIX_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Runs the server's start-up script with a stand-in spark-submit that records its argv. */
function start(release: ReleaseConfig, env: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "connect-start-"));
  const submit = join(dir, "spark-submit");
  const argv = join(dir, "argv");
  writeFileSync(submit, `#!/bin/bash\nprintf '%s\\n' "$@" > "${argv}"\n`);
  chmodSync(submit, 0o755);
  const result = spawnSync("bash", ["-c", connectServerScript(release)], {
    env: {
      PATH: process.env["PATH"] ?? "",
      SPARK_SUBMIT: submit,
      // The leftover-executor cleanup (orphanExecutors.test.ts) finds no API here: a closed
      // loopback port, so it reports and the server starts.
      KUBE_API_URL: "http://127.0.0.1:9",
      KUBE_TOKEN_FILE: "/dev/null",
      ...env,
    },
    encoding: "utf8",
  });
  expect(result.status, result.stderr).to.equal(0);
  const args = readFileSync(argv, "utf8").trimEnd().split("\n");
  const conf: Record<string, string> = {};
  args.forEach((arg, i) => {
    if (args[i - 1] === "--conf") {
      const at = arg.indexOf("=");
      conf[arg.slice(0, at)] = arg.slice(at + 1);
    }
  });
  expect(args.slice(0, 4)).to.deep.equal([
    "--class",
    "org.apache.spark.sql.connect.service.SparkConnectServer",
    "--name",
    release.names.connect,
  ]);
  return conf;
}

const POD = {
  POD_NAME: "spark-41-connect-6d8f9c7b5-x7k2p",
  POD_IP: "10.244.0.17",
  POD_UID: "4f1c2a9e-0d3b-4c55-9a61-2b7e8f0c1d23",
};

describe("Connect server start-up: executors reach the driver and get names of their own", () => {
  it("executors dial the driver's pod IP, known at start, not a Service that waits for readiness", () => {
    const conf = start(connect, POD);
    expect(conf["spark.driver.host"]).to.equal("10.244.0.17");
    expect(conf["spark.kubernetes.driver.pod.name"]).to.equal(POD.POD_NAME);
    // Nothing in spark-defaults points executors at a DNS name instead.
    expect(sparkDefaults(config, connect)).not.to.have.property("spark.driver.host");
    const container = connectDeployment(config, connect).spec!.template.spec!.containers[0]!;
    expect(container.args!.slice(0, 2)).to.deep.equal(["/bin/bash", "-c"]);
    const fields = Object.fromEntries(
      (container.env ?? []).map((e) => [e.name, e.valueFrom?.fieldRef?.fieldPath]),
    );
    expect(fields).to.include({
      [CONNECT_POD_ENV.ip]: "status.podIP",
      [CONNECT_POD_ENV.name]: "metadata.name",
      [CONNECT_POD_ENV.uid]: "metadata.uid",
    });
  });

  it("executor pods are <release>-<run id>-exec-<n>, a new run id at every start", () => {
    const first = start(connect, POD)["spark.kubernetes.executor.podNamePrefix"]!;
    const again = start(connect, POD)["spark.kubernetes.executor.podNamePrefix"]!;
    expect(first).to.match(/^spark-41-[0-9a-f]{6}$/);
    expect(again).to.match(/^spark-41-[0-9a-f]{6}$/);
    expect(again, "a restarted container gets other names").not.to.equal(first);
    expect(`${first}-exec-1`).not.to.contain("exec-exec");
    expect(sparkDefaults(config, connect)).not.to.have.property(
      "spark.kubernetes.executor.podNamePrefix",
    );
  });

  it("the longest release name still yields a prefix Spark accepts (63 with -exec-<Int.MaxValue>)", () => {
    const values = baseValues();
    const releases = values["releases"] as Record<string, unknown>[];
    const name = `c${"x".repeat(MAX_RELEASE_NAME_LENGTH - 1)}`;
    releases[1] = { ...releases[1], name, hiveMetastore: { database: "metastore_long" } };
    const long = parseValid(rawConfig(values)).releases[1]!;
    const prefix = start(long, POD)["spark.kubernetes.executor.podNamePrefix"]!;
    expect(prefix.startsWith(`${name}-`)).to.equal(true);
    expect(prefix.length + SPARK_EXECUTOR_NAME_RESERVED).to.be.at.most(63);
    expect(`${prefix}-exec-${2 ** 31 - 1}`).to.have.length.at.most(63);
    expect(prefix).to.match(SPARK_PREFIX_PATTERN);
  });
});
