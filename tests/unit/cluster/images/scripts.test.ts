import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  HIVE_VERSIONS,
  metastoreSiteXml,
  schemaToolService,
} from "../../../../cluster/images/hive";
import { SBIN_SCRIPTS } from "../../../../cluster/images/sbin";

const FILES = join(__dirname, "../../../../cluster/images/files");

function sh(script: string, env: Record<string, string>, args: string[] = []) {
  const r = spawnSync("bash", [script, ...args], {
    env: { PATH: "/usr/bin:/bin", ...env },
    encoding: "utf8",
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("cluster/images: our own image scripts", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "images-scripts-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("every script we write into the images is valid bash", () => {
    const texts: Record<string, string> = { ...SBIN_SCRIPTS };
    for (const file of [
      "spark/entrypoint.sh",
      "spark/decom.sh",
      "hive/entrypoint.sh",
      "hive/hive",
      "hadoop/hadoop",
    ]) {
      texts[file] = readFileSync(join(FILES, file), "utf8");
    }
    for (const hive of HIVE_VERSIONS) texts[`schemaTool ${hive.version}`] = schemaToolService(hive);
    for (const [name, text] of Object.entries(texts)) {
      const r = spawnSync("bash", ["-n"], { input: text, encoding: "utf8" });
      expect(r.status, `${name}: ${r.stderr}`).to.equal(0);
    }
  });

  it("bin/hadoop: s3a jars only with HADOOP_OPTIONAL_TOOLS=hadoop-aws; HADOOP_CLASSPATH last unless asked first", () => {
    const home = join(dir, "hadoop");
    for (const d of ["common/lib", "common", "hdfs", "tools/lib"])
      mkdirSync(join(home, "share/hadoop", d), { recursive: true });
    for (const jar of ["hadoop-aws-3.3.4.jar", "aws-java-sdk-bundle-1.12.262.jar"]) {
      writeFileSync(join(home, "share/hadoop/tools/lib", jar), "");
    }
    const script = join(FILES, "hadoop/hadoop");
    const base = { HADOOP_HOME: home, HADOOP_CONF_DIR: "/conf" };
    const plain = sh(script, base, ["classpath"]);
    expect(plain.code).to.equal(0);
    expect(plain.out.trim()).to.equal(
      `/conf:${home}/share/hadoop/common/lib/*:${home}/share/hadoop/common/*:${home}/share/hadoop/hdfs/*`,
    );
    const aws = sh(
      script,
      { ...base, HADOOP_OPTIONAL_TOOLS: "hadoop-aws", HADOOP_CLASSPATH: "/extra" },
      ["classpath"],
    );
    expect(aws.out.trim()).to.match(
      /hdfs\/\*:.*tools\/lib\/hadoop-aws-3\.3\.4\.jar:.*tools\/lib\/aws-java-sdk-bundle-1\.12\.262\.jar:\/extra$/,
    );
    const first = sh(
      script,
      { ...base, HADOOP_CLASSPATH: "/extra", HADOOP_USER_CLASSPATH_FIRST: "true" },
      ["classpath"],
    );
    expect(first.out.trim()).to.match(/^\/extra:\/conf:/);
    expect(sh(script, base, ["fs", "-ls"]).code).to.equal(1);
  });

  it("bin/hadoop jar: HADOOP_CLIENT_OPTS after HADOOP_OPTS, the deprecated heap only without -Xmx", () => {
    const javaHome = join(dir, "jdk");
    mkdirSync(join(javaHome, "bin"), { recursive: true });
    writeFileSync(join(javaHome, "bin/java"), '#!/bin/sh\necho "java $*"\n');
    chmodSync(join(javaHome, "bin/java"), 0o755);
    const env = { HADOOP_HOME: join(dir, "h"), JAVA_HOME: javaHome, HADOOP_HEAPSIZE: "256" };
    const script = join(FILES, "hadoop/hadoop");
    const withXmx = sh(
      script,
      { ...env, HADOOP_OPTS: "-Da=1", HADOOP_CLIENT_OPTS: "-Xmx1G -Xmx384m" },
      ["jar", "x.jar", "Main", "arg"],
    );
    expect(withXmx.out).to.match(
      /^java -Da=1 -Xmx1G -Xmx384m .* org\.apache\.hadoop\.util\.RunJar x\.jar Main arg$/m,
    );
    expect(withXmx.out).to.not.contain("-Xmx256m");
    const noXmx = sh(script, env, ["jar", "x.jar"]);
    expect(noXmx.out).to.match(/^java -Xmx256m /m);
  });

  it("hive entrypoint: IS_RESUME decides schema init, DB_DRIVER only then, SERVICE_OPTS after -Xmx1G", () => {
    const home = join(dir, "hive");
    mkdirSync(join(home, "bin"), { recursive: true });
    writeFileSync(join(home, "bin/schematool"), '#!/bin/sh\necho "schematool $*"\n');
    writeFileSync(
      join(home, "bin/hive"),
      '#!/bin/sh\necho "hive $* port=$METASTORE_PORT opts=$HADOOP_CLIENT_OPTS conf=$HIVE_CONF_DIR"\n',
    );
    for (const f of ["schematool", "hive"]) chmodSync(join(home, "bin", f), 0o755);
    const script = join(FILES, "hive/entrypoint.sh");
    const env = {
      HIVE_HOME: home,
      SERVICE_NAME: "metastore",
      SERVICE_OPTS: "-Xmx384m",
      HIVE_CONF_DIR: "/elsewhere",
    };
    const resume = sh(script, {
      ...env,
      IS_RESUME: "true",
      SKIP_SCHEMA_INIT: "false",
      DB_DRIVER: "postgres",
      HIVE_VER: "4.0.0",
    });
    expect(resume.out).to.not.match(/^schematool/m);
    expect(resume.out).to.match(
      new RegExp(
        `^hive --skiphadoopversion --skiphbasecp --service metastore port=9083 opts= -Xmx1G -Xmx384m conf=${home}/conf$`,
        "m",
      ),
    );
    const init4 = sh(script, {
      ...env,
      SKIP_SCHEMA_INIT: "true",
      DB_DRIVER: "postgres",
      HIVE_VER: "4.0.0",
    });
    expect(init4.out).to.match(/^schematool -dbType postgres -initOrUpgradeSchema$/m);
    const init3 = sh(script, { ...env, HIVE_VER: "3.1.3" });
    expect(init3.out).to.match(/^schematool -dbType derby -initSchema$/m);
  });

  it("the metastore-site of each Hive line sets the standalone expression proxy; 3.1.3 also its task threads", () => {
    const [hive313, hive400] = HIVE_VERSIONS;
    for (const hive of HIVE_VERSIONS) {
      expect(metastoreSiteXml(hive)).to.contain(
        "<name>metastore.expression.proxy</name>\n    <value>org.apache.hadoop.hive.metastore.DefaultPartitionExpressionProxy</value>",
      );
    }
    expect(metastoreSiteXml(hive313!)).to.contain("metastore.task.threads.always");
    expect(metastoreSiteXml(hive313!)).to.not.contain("DumpDirCleanerTask");
    expect(metastoreSiteXml(hive400!)).to.not.contain("metastore.task.threads.always");
    expect(schemaToolService(hive400!)).to.contain(
      'hive-standalone-metastore-server-4.0.0.jar" org.apache.hadoop.hive.metastore.tools.schematool.MetastoreSchemaTool',
    );
  });
});
