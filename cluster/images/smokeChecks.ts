/**
 * What the smoke test runs in each image. `ctr run` replaces the entrypoint with the
 * given arguments, so checks that go through the entrypoint name it first (as a pod's
 * `args` would keep it). Each check says how a correct image answers.
 */
import { COREDNS_REF, PAUSE_REF } from "./oneBinaryImage";
import { HIVE_REF_3_1_3, HIVE_REF_4_0_0 } from "./hive";
import { NOTEBOOK_REF } from "./notebook";
import { PROMETHEUS_REF } from "./prometheus";
import { PYSPARK_CLIENT_REF } from "./pysparkClient";
import { SPARK_REF_3_5_7, SPARK_REF_4_1_0 } from "./spark";

const SPARK_ENTRYPOINT = "/opt/entrypoint.sh";

export interface SmokeCheck {
  ref: string;
  name: string;
  args: string[];
  env?: Record<string, string>;
  readOnly?: boolean;
  /** Share the host's network (to reach a database on the host's loopback). */
  netHost?: boolean;
  /** Container path -> host path, bind-mounted read-only. */
  hostMounts?: Record<string, string>;
  /** Container path -> name of a file in `fileTexts`, bind-mounted read-only. */
  files?: Record<string, string>;
  fileTexts?: Record<string, string>;
  timeoutSeconds?: number;
  /** An error message, or undefined when the output is as expected. */
  verify: (code: number, output: string) => string | undefined;
}

const expect =
  (pattern: RegExp, exit: "zero" | "any" = "zero") =>
  (code: number, output: string) => {
    if (exit === "zero" && code !== 0) return `exit ${code}, expected 0`;
    return pattern.test(output) ? undefined : `output does not match ${pattern}`;
  };

function sparkChecks(ref: string, version: string): SmokeCheck[] {
  const checks: SmokeCheck[] = [
    {
      ref,
      name: "id is spark (185)",
      args: ["id"],
      verify: expect(/uid=185\(spark\) gid=185\(spark\)/),
    },
    {
      ref,
      name: "java 17 on PATH",
      args: ["java", "-version"],
      verify: expect(/openjdk version "17\./),
    },
    {
      ref,
      name: "spark-submit --version (pass-through)",
      args: ["/opt/spark/bin/spark-submit", "--version"],
      verify: expect(new RegExp(`version ${version.replace(/\./g, "\\.")}`)),
    },
    {
      ref,
      name: "Master --help via spark-class",
      args: ["/opt/spark/bin/spark-class", "org.apache.spark.deploy.master.Master", "--help"],
      verify: expect(/Usage: Master \[options\]/, "any"),
    },
    {
      ref,
      name: "driver role under tini (read-only root)",
      readOnly: true,
      args: ["driver", "--version"],
      env: { SPARK_DRIVER_BIND_ADDRESS: "127.0.0.1" },
      verify: expect(new RegExp(`version ${version.replace(/\./g, "\\.")}`)),
    },
    {
      ref,
      name: "executor role builds the JVM command from SPARK_EXECUTOR_*",
      args: ["executor"],
      env: {
        SPARK_EXECUTOR_MEMORY: "256m",
        SPARK_DRIVER_URL: "spark://CoarseGrainedScheduler@127.0.0.1:1",
        SPARK_EXECUTOR_ID: "1",
        SPARK_EXECUTOR_CORES: "1",
        SPARK_APPLICATION_ID: "spark-smoke",
        SPARK_EXECUTOR_POD_IP: "127.0.0.1",
        SPARK_RESOURCE_PROFILE_ID: "0",
        SPARK_EXECUTOR_POD_NAME: "smoke-exec-1",
        SPARK_JAVA_OPT_0: "-Dspark.smoke=1",
      },
      timeoutSeconds: 90,
      verify: expect(/KubernetesExecutorBackend|CoarseGrainedExecutorBackend/, "any"),
    },
    {
      ref,
      name: "no s3a jars, python3 present, sbin scripts",
      args: [
        "bash",
        "-c",
        "ls /opt/spark/jars | grep -ciE 'hadoop-aws|aws-java-sdk|awssdk' ; python3 --version; ls /opt/spark/sbin",
      ],
      verify: expect(
        /^0\n[\s\S]*Python 3\.11[\s\S]*start-connect-server\.sh[\s\S]*start-master\.sh/,
        "any",
      ),
    },
  ];
  // Through the image's entrypoint, as a pod's `args` run.
  return checks.map((c) => ({ ...c, args: [SPARK_ENTRYPOINT, ...c.args] }));
}

const HIVE_SITE = `<?xml version="1.0"?>
<configuration>
  <property><name>javax.jdo.option.ConnectionURL</name><value>jdbc:postgresql://127.0.0.1:1/metastore</value></property>
  <property><name>javax.jdo.option.ConnectionDriverName</name><value>org.postgresql.Driver</value></property>
  <property><name>javax.jdo.option.ConnectionUserName</name><value>hive</value></property>
  <property><name>javax.jdo.option.ConnectionPassword</name><value>\${env.HIVE_METASTORE_DB_PASSWORD}</value></property>
  <property><name>hive.metastore.schema.verification</name><value>true</value></property>
</configuration>
`;

function hiveChecks(ref: string, version: string): SmokeCheck[] {
  const podLike = {
    readOnly: true,
    files: { "/opt/hive/conf/hive-site.xml": "hive-site.xml" },
    fileTexts: { "hive-site.xml": HIVE_SITE },
  };
  // 3.1.3 carries the old PostgreSQL driver and reaches the connection attempt; 4.0.0 has none.
  const dbFailure =
    version === "3.1.3"
      ? /Connection (to 127\.0\.0\.1:1 )?refused|PSQLException/
      : /No suitable driver/;
  return [
    {
      ref,
      name: "id is hive (1000)",
      args: ["id"],
      verify: expect(/uid=1000\(hive\) gid=1000\(hive\)/),
    },
    {
      ref,
      name: "schematool -help",
      args: ["/opt/hive/bin/schematool", "-help"],
      ...podLike,
      verify: expect(/-initSchema/, "any"),
    },
    {
      ref,
      name: "hadoop classpath adds hadoop-aws only with HADOOP_OPTIONAL_TOOLS",
      args: [
        "bash",
        "-c",
        "hadoop classpath | tr : '\\n' | grep -c aws; HADOOP_OPTIONAL_TOOLS=hadoop-aws hadoop classpath",
      ],
      verify: expect(
        /^0\n.*tools\/lib\/hadoop-aws-[\d.]+\.jar:.*tools\/lib\/aws-java-sdk-bundle-[\d.]+\.jar/,
        "any",
      ),
    },
    {
      ref,
      name: "entrypoint IS_RESUME=true starts the metastore up to the DB connection",
      args: ["sh", "-c", "/entrypoint.sh"],
      env: {
        SERVICE_NAME: "metastore",
        DB_DRIVER: "postgres",
        SKIP_SCHEMA_INIT: "false",
        IS_RESUME: "true",
        SERVICE_OPTS: "-Xmx384m",
        HIVE_METASTORE_DB_PASSWORD: "smoke",
      },
      ...podLike,
      timeoutSeconds: 150,
      verify: (code, output) => {
        if (/schematool|Initialized schema/i.test(output))
          return "schema initialisation ran despite IS_RESUME=true";
        if (!/Starting (hive )?metastore/i.test(output)) return "the metastore did not start";
        if (!/-Xmx1G .*-Xmx384m/.test(output))
          return "HADOOP_CLIENT_OPTS lacks '-Xmx1G $SERVICE_OPTS'";
        return dbFailure.test(output) ? undefined : `no database failure matching ${dbFailure}`;
      },
    },
  ];
}

export const SMOKE_CHECKS: readonly SmokeCheck[] = [
  ...sparkChecks(SPARK_REF_3_5_7, "3.5.7"),
  ...sparkChecks(SPARK_REF_4_1_0, "4.1.0"),
  ...hiveChecks(HIVE_REF_3_1_3, "3.1.3"),
  ...hiveChecks(HIVE_REF_4_0_0, "4.0.0"),
  {
    ref: PYSPARK_CLIENT_REF,
    name: "imports pyspark Connect, pandas, pyarrow, grpc",
    args: [
      "python3",
      "-c",
      "import pyspark, pandas, pyarrow, grpc; from pyspark.sql.connect.session import SparkSession; " +
        "import os; print(pyspark.__version__, os.getuid())",
    ],
    verify: expect(/^4\.1\.0 185$/m),
  },
  {
    ref: NOTEBOOK_REF,
    name: "imports JupyterLab, nbconvert, ipykernel and pyspark Connect; finds JupyterLab's assets",
    args: [
      "python3",
      "-c",
      "import os, jupyterlab, nbconvert, ipykernel, pyspark; from pyspark.sql.connect.session import SparkSession; " +
        "assert os.path.isdir(os.path.join(os.environ['JUPYTERLAB_DIR'], 'static')); " +
        "print(jupyterlab.__version__, pyspark.__version__, os.getuid())",
    ],
    verify: expect(/^4\.5\.0 4\.1\.0 185$/m),
  },
  {
    ref: PROMETHEUS_REF,
    name: "prometheus --version as nobody",
    args: ["/bin/prometheus", "--version"],
    verify: expect(/prometheus, version 2\.42\.0/, "any"),
  },
  { ref: PAUSE_REF, name: "pause -v", args: ["/pause", "-v"], verify: expect(/pause/i, "any") },
  {
    ref: COREDNS_REF,
    name: "coredns -version",
    args: ["/coredns", "-version"],
    verify: expect(/CoreDNS-1\.12\.4/),
  },
];
