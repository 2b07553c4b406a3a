/**
 * End-to-end Spark Connect smoke check: a Connect server from the Spark 4.1.0 stand-in
 * (local[1], started through the image's entrypoint, detached) and a query from the
 * pyspark-client image, both on the host network with a port of our own (15102), then the
 * server task killed and removed.
 */
import { writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { fullyQualified } from "./oci";
import { PYSPARK_CLIENT_REF } from "./pysparkClient";
import { runOk } from "../support/runCommand";
import { type Log, seconds } from "./progress";
import { SPARK_REF_4_1_0 } from "./spark";

export const CONNECT_SMOKE_PORT = 15102;

const CLIENT = `
import time
from pyspark.sql import SparkSession
last = None
for attempt in range(60):
    try:
        spark = SparkSession.builder.remote("sc://127.0.0.1:${CONNECT_SMOKE_PORT}").getOrCreate()
        print("sum", spark.range(1000).selectExpr("sum(id) AS s").collect()[0]["s"])
        print("version", spark.version)
        break
    except Exception as e:  # the server needs ~20-30 s to listen
        last = e
        time.sleep(2)
else:
    raise SystemExit(f"no Connect server: {last}")
`;

export function connectPairWanted(refs: ReadonlySet<string>): boolean {
  return refs.has(SPARK_REF_4_1_0) && refs.has(PYSPARK_CLIENT_REF);
}

/** Returns an error message, or undefined when the client got the right answer. */
export async function connectCheck(
  address: string,
  dir: string,
  log: Log,
): Promise<string | undefined> {
  const ctr = (args: string[]) => runOk("ctr", ["--address", address, "-n", "k8s.io", ...args]);
  const hosts = join(dir, "files", "hosts-connect");
  await writeFile(hosts, `127.0.0.1\tlocalhost ${hostname()}\n`);
  const mounts = ["--mount", `type=bind,src=${hosts},dst=/etc/hosts,options=rbind:ro`];
  await runOk("mkdir", ["-p", join(dir, "connect-tmp")]);
  await runOk("chmod", ["1777", join(dir, "connect-tmp")]);
  mounts.push("--mount", `type=bind,src=${join(dir, "connect-tmp")},dst=/tmp,options=rbind:rw`);
  const start = Date.now();
  const server = "smoke-connect-server";
  await ctr([
    "run",
    "-d",
    "--net-host",
    "--read-only",
    ...mounts,
    fullyQualified(SPARK_REF_4_1_0),
    server,
    "/opt/entrypoint.sh",
    "/opt/spark/bin/spark-submit",
    "--class",
    "org.apache.spark.sql.connect.service.SparkConnectServer",
    "--master",
    "local[1]",
    "--conf",
    `spark.connect.grpc.binding.port=${CONNECT_SMOKE_PORT}`,
    "--conf",
    "spark.ui.enabled=false",
    "--conf",
    "spark.driver.memory=512m",
  ]);
  try {
    const out = await runOk("timeout", [
      "180",
      "ctr",
      "--address",
      address,
      "-n",
      "k8s.io",
      "run",
      "--rm",
      "--net-host",
      ...mounts,
      fullyQualified(PYSPARK_CLIENT_REF),
      "smoke-connect-client",
      "python3",
      "-c",
      CLIENT,
    ]).catch((err: Error) => err.message);
    const ok = /^sum 499500$/m.test(out) && /^version 4\.1\.0$/m.test(out);
    log(
      `smoke: ${ok ? "ok  " : "FAIL"} Spark Connect: pyspark-client -> 4.1.0 server (${seconds(start)})`,
    );
    return ok ? undefined : `client output:\n${out.trim().split("\n").slice(-10).join("\n")}`;
  } finally {
    await ctr(["task", "kill", "-s", "SIGKILL", server]).catch(() => "");
    for (let i = 0; i < 20; i++) {
      const gone = await ctr(["task", "rm", "-f", server]).then(
        () => true,
        () => false,
      );
      if (gone) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await ctr(["container", "rm", server]).catch(() => "");
  }
}
