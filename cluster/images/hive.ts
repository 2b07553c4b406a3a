/**
 * Stand-ins for apache/hive:<v> as the platform runs them (SERVICE_NAME=metastore, the
 * schema tool): the standalone metastore distribution from Maven Central in /opt/hive, the
 * Hadoop jars Maven resolves laid out as Hadoop's distribution in /opt/hadoop (with
 * hadoop-aws and its AWS SDK v1 bundle in share/hadoop/tools/lib), and our own entrypoint,
 * bin/hive and bin/hadoop. JDBC drivers as upstream: 3.1.3 the old 9.4 PostgreSQL driver,
 * 4.0.0 none.
 */
import { chmod, mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Base, DEFAULT_PATH, JAVA_HOME, writeUser } from "./base";
import { type BuiltImage, type Ctx, buildImage } from "./image";
import { copyDependencies, hadoopLayoutDir, mavenArtifact, type PomDependency } from "./maven";
import { runOk } from "../support/runCommand";
import { step } from "./progress";

export const HIVE_UID = 1000;
export const HIVE_REF_3_1_3 = "apache/hive:3.1.3";
export const HIVE_REF_4_0_0 = "apache/hive:4.0.0";

export interface HiveVersion {
  ref: string;
  version: string;
  /** The standalone metastore's `bin` tarball on Maven Central and its sha1. */
  tarball: { coordinate: string; sha1: string };
  /**
   * conf/metastore-site.xml: what the full distribution gets from hive-exec, which the
   * standalone metastore lacks (classes named by defaults). Read after hive-site.xml, so a
   * mounted hive-site cannot undo it.
   */
  metastoreSite: Readonly<Record<string, string>>;
  /** The schema tool's jar (in lib/) and main class in this version. */
  schemaTool: { jar: string; mainClass: string };
  hadoop: string;
  hadoopArtifacts: readonly string[];
  /** Jars added to /opt/hive/lib (what upstream's image has there and the tarball lacks). */
  addToLib: readonly string[];
  /** Jars of the tarball's lib/ that upstream's image does not have. */
  removeFromLib: readonly RegExp[];
}

/** The default partition-expression class is hive-exec's; the standalone metastore has this one. */
const EXPRESSION_PROXY = {
  "metastore.expression.proxy": "org.apache.hadoop.hive.metastore.DefaultPartitionExpressionProxy",
};

export const HIVE_VERSIONS: readonly HiveVersion[] = [
  {
    ref: HIVE_REF_3_1_3,
    version: "3.1.3",
    tarball: {
      coordinate: "org.apache.hive:hive-standalone-metastore:3.1.3:tar.gz:bin",
      sha1: "cecb70e7f545049b258bc1d7aae55fde4bb8389c",
    },
    metastoreSite: {
      ...EXPRESSION_PROXY,
      // 3.1.3's default list adds repl.DumpDirCleanerTask, a hive-exec class.
      "metastore.task.threads.always":
        "org.apache.hadoop.hive.metastore.events.EventCleanerTask,org.apache.hadoop.hive.metastore.RuntimeStatsCleanerTask",
    },
    schemaTool: {
      jar: "hive-standalone-metastore-3.1.3.jar",
      mainClass: "org.apache.hadoop.hive.metastore.tools.MetastoreSchemaTool",
    },
    hadoop: "3.3.4",
    hadoopArtifacts: ["hadoop-common", "hadoop-hdfs-client", "hadoop-mapreduce-client-core"],
    // Hive 3.1.3's distribution ships this driver; it cannot authenticate with SCRAM.
    addToLib: ["org.postgresql:postgresql:9.4.1208.jre7"],
    removeFromLib: [],
  },
  {
    ref: HIVE_REF_4_0_0,
    version: "4.0.0",
    tarball: {
      coordinate: "org.apache.hive:hive-standalone-metastore-server:4.0.0:tar.gz:bin",
      sha1: "5829183170eb51795f78e5fe9dd6987268330036",
    },
    metastoreSite: EXPRESSION_PROXY,
    // The tarball's own bin/ext/schemaTool.sh still names the 3.x class, which 4.0 moved.
    schemaTool: {
      jar: "hive-standalone-metastore-server-4.0.0.jar",
      mainClass: "org.apache.hadoop.hive.metastore.tools.schematool.MetastoreSchemaTool",
    },
    hadoop: "3.3.6",
    // hadoop-hdfs too, or Spark's getDatabase fails (NoClassDefFoundError SnapshotException).
    hadoopArtifacts: [
      "hadoop-common",
      "hadoop-hdfs-client",
      "hadoop-mapreduce-client-core",
      "hadoop-hdfs",
    ],
    addToLib: [],
    // apache/hive:4.0.0 has no PostgreSQL driver; the standalone tarball bundles one.
    removeFromLib: [/^postgresql-.*\.jar$/],
  },
];

const FILES = join(__dirname, "files");

/**
 * Excluded from every Hadoop module's tree: jdk.tools (a JDK 8 system jar), and the log4j 1
 * binding ZooKeeper drags in, which Hadoop's own build excludes (its distribution ships
 * reload4j instead).
 */
export const HADOOP_EXCLUSIONS = ["jdk.tools:jdk.tools", "org.slf4j:slf4j-log4j12", "log4j:log4j"];

/** The POM dependencies: Hadoop's client modules and hadoop-aws, at the line's Hadoop version. */
export function hiveDependencies(hive: HiveVersion): PomDependency[] {
  const hadoop = (artifact: string) => ({
    coordinate: `org.apache.hadoop:${artifact}:${hive.hadoop}`,
    exclusions: HADOOP_EXCLUSIONS,
  });
  return [...hive.hadoopArtifacts.map(hadoop), hadoop("hadoop-aws")];
}

async function ownFiles() {
  const read = (path: string) => readFile(join(FILES, path), "utf8");
  return {
    entrypoint: await read("hive/entrypoint.sh"),
    hive: await read("hive/hive"),
    hadoop: await read("hadoop/hadoop"),
    hiveSite: await read("hive/hive-site.xml"),
    log4j2: await read("hive/metastore-log4j2.properties"),
  };
}

export async function hiveImage(ctx: Ctx, base: Base, hive: HiveVersion): Promise<BuiltImage> {
  const files = await ownFiles();
  const deps = hiveDependencies(hive);
  return buildImage(ctx, {
    name: `hive-${hive.version}`,
    lower: [base.layer],
    recipe: {
      tarball: hive.tarball,
      deps,
      addToLib: hive.addToLib,
      removeFromLib: hive.removeFromLib.map(String),
      files,
      schemaTool: schemaToolService(hive),
      metastoreSite: metastoreSiteXml(hive),
      revision: 1,
    },
    spec: {
      ref: hive.ref,
      user: "hive",
      workingDir: "/opt/hive",
      entrypoint: ["sh", "-c", "/entrypoint.sh"],
      exposedPorts: ["10000/tcp", "10002/tcp", "9083/tcp"],
      env: [
        `PATH=/opt/hive/bin:/opt/hadoop/bin:${JAVA_HOME}/bin:${DEFAULT_PATH}`,
        `JAVA_HOME=${JAVA_HOME}`,
        "LANG=C.UTF-8",
        "HADOOP_HOME=/opt/hadoop",
        "HIVE_HOME=/opt/hive",
        `HIVE_VER=${hive.version}`,
      ],
      labels: {
        "org.spark-platform.stand-in": `apache/hive ${hive.version} (standalone metastore)`,
      },
    },
    fill: async (tree) => {
      const tarball = await mavenArtifact(ctx, hive.tarball.coordinate, hive.tarball.sha1);
      const opt = join(tree, "opt");
      await mkdir(opt);
      await step(ctx.log, `hive-${hive.version}: unpack metastore`, () =>
        runOk("tar", ["-xzf", tarball, "-C", opt]),
      );
      const unpacked = (await readdir(opt)).find((d) => d.startsWith("apache-hive-metastore-"));
      if (!unpacked) throw new Error(`${tarball}: no apache-hive-metastore-* directory`);
      const hiveHome = join(opt, "hive");
      await rename(join(opt, unpacked), hiveHome);
      for (const jar of await readdir(join(hiveHome, "lib"))) {
        if (hive.removeFromLib.some((re) => re.test(jar))) await rm(join(hiveHome, "lib", jar));
      }
      for (const coordinate of hive.addToLib) {
        const resolved = join(ctx.root, "work", `hive-${hive.version}-extra`);
        await copyDependencies(ctx, `hive-${hive.version}-lib`, [{ coordinate }], resolved);
        await runOk("sh", [
          "-c",
          `mv "${resolved}"/*.jar "${join(hiveHome, "lib")}/" && rm -rf "${resolved}"`,
        ]);
      }
      await placeHadoop(ctx, hive, deps, join(opt, "hadoop"));
      const conf = join(hiveHome, "conf");
      await rm(conf, { recursive: true, force: true });
      await mkdir(conf);
      await writeFile(join(conf, "hive-site.xml"), files.hiveSite);
      await writeFile(join(conf, "metastore-site.xml"), metastoreSiteXml(hive));
      await writeFile(join(conf, "metastore-log4j2.properties"), files.log4j2);
      await writeFile(join(hiveHome, "bin", "hive"), files.hive, { mode: 0o755 });
      await writeFile(join(hiveHome, "bin", "ext", "schemaTool.sh"), schemaToolService(hive));
      await writeFile(join(tree, "entrypoint.sh"), files.entrypoint, { mode: 0o755 });
      await mkdir(join(hiveHome, "data", "warehouse"), { recursive: true });
      await runOk("chown", ["-R", "0:0", opt]);
      // As upstream: hive owns the top directories, conf and the warehouse, not their contents.
      const owned = ["hive", "hadoop", "hive/conf", "hive/data/warehouse"].map((d) => join(opt, d));
      await runOk("chown", [String(HIVE_UID), ...owned]);
      await writeUser(base, tree, {
        name: "hive",
        uid: HIVE_UID,
        gid: HIVE_UID,
        gecos: ",,,",
        home: "/home/hive",
        shell: "/bin/bash",
      });
    },
  });
}

export function metastoreSiteXml(hive: HiveVersion): string {
  const props = Object.entries(hive.metastoreSite).map(
    ([name, value]) =>
      `  <property>\n    <name>${name}</name>\n    <value>${value}</value>\n  </property>`,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    "<!-- spark-platform stand-in: see docs/stand-in-images.md (standalone metastore defaults) -->",
    "<configuration>",
    ...props,
    "</configuration>",
    "",
  ].join("\n");
}

/** Our bin/ext/schemaTool.sh for the standalone distribution's bin/base. */
export function schemaToolService(hive: HiveVersion): string {
  return [
    "# spark-platform stand-in: the schema tool service of bin/base (see docs/stand-in-images.md)",
    "THISSERVICE=schemaTool",
    'export SERVICE_LIST="${SERVICE_LIST}${THISSERVICE} "',
    "schemaTool() {",
    "  METASTORE_OPTS=''",
    `  exec $HADOOP jar "\${METASTORE_LIB}/${hive.schemaTool.jar}" ${hive.schemaTool.mainClass} "$@"`,
    "}",
    "schemaTool_help() {",
    "  schemaTool -h",
    "}",
    "",
  ].join("\n");
}

/** /opt/hadoop: resolved jars in the distribution's layout, etc/hadoop, our bin/hadoop. */
async function placeHadoop(ctx: Ctx, hive: HiveVersion, deps: PomDependency[], home: string) {
  const resolved = join(ctx.root, "work", `hadoop-${hive.hadoop}-jars`);
  await rm(resolved, { recursive: true, force: true });
  await copyDependencies(ctx, `hadoop-${hive.hadoop}`, deps, resolved);
  const jars = await readdir(resolved);
  for (const jar of jars) {
    const dir = join(home, "share", "hadoop", hadoopLayoutDir(jar, hive.hadoop));
    await mkdir(dir, { recursive: true });
    await rename(join(resolved, jar), join(dir, jar));
  }
  await rm(resolved, { recursive: true, force: true });
  const etc = join(home, "etc", "hadoop");
  await mkdir(etc, { recursive: true });
  const empty = '<?xml version="1.0" encoding="UTF-8"?>\n<configuration>\n</configuration>\n';
  for (const site of ["core-site.xml", "hdfs-site.xml"]) await writeFile(join(etc, site), empty);
  await writeFile(
    join(etc, "log4j.properties"),
    "log4j.rootLogger=${hadoop.root.logger}\nhadoop.root.logger=INFO,console\n" +
      "log4j.appender.console=org.apache.log4j.ConsoleAppender\nlog4j.appender.console.target=System.err\n" +
      "log4j.appender.console.layout=org.apache.log4j.PatternLayout\n" +
      "log4j.appender.console.layout.ConversionPattern=%d{ISO8601} %p %c{2}: %m%n\n",
  );
  await mkdir(join(home, "bin"));
  await writeFile(join(home, "bin", "hadoop"), (await ownFiles()).hadoop, { mode: 0o755 });
  await chmod(join(home, "bin", "hadoop"), 0o755);
  ctx.log(`hadoop-${hive.hadoop}: ${jars.length} jars placed`);
}
