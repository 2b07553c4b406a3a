/**
 * Stand-ins for apache/spark:<v>-scala<s>-java<j>-python3-ubuntu: SPARK_HOME assembled
 * from the `deps/` folder of the PyPI sdist pyspark==<v>, laid out as the upstream
 * Dockerfile lays out the binary distribution, with our own entrypoint, decom.sh and the
 * sbin scripts the sdist lacks. No hadoop-aws / AWS SDK, exactly as upstream.
 */
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Base, DEFAULT_PATH, JAVA_HOME, writeUser } from "./base";
import { type BuiltImage, type Ctx, buildImage } from "./image";
import { simpleIndexLink } from "./recipe";
import { runOk } from "../support/runCommand";
import { cachedDigest, download, fetchText } from "./download";
import { step } from "./progress";
import { SBIN_SCRIPTS } from "./sbin";

export const SPARK_UID = 185;
export const SPARK_REF_3_5_7 = "apache/spark:3.5.7-scala2.12-java17-python3-ubuntu";
export const SPARK_REF_4_1_0 = "apache/spark:4.1.0-scala2.13-java21-python3-ubuntu";

export interface SparkVersion {
  ref: string;
  version: string;
  hadoop: string;
  /** sha256 of the sdist as PyPI lists it (checked on download). */
  sdistSha256: string;
}

export const SPARK_VERSIONS: readonly SparkVersion[] = [
  {
    ref: SPARK_REF_3_5_7,
    version: "3.5.7",
    hadoop: "3.3.4",
    sdistSha256: "80e36514e0c5c126d35a26adf4f405cd4a69de96a8ea8a3c1e9a65fce2fb4eaa",
  },
  {
    ref: SPARK_REF_4_1_0,
    version: "4.1.0",
    hadoop: "3.4.2",
    sdistSha256: "09c714ada88dfac3e1213c066617c6f473c1e22fbe279855028f77e12434147d",
  },
];

export const PYPI_SIMPLE = "https://pypi.org/simple";
const FILES = join(__dirname, "files", "spark");

/**
 * Downloads a pinned sdist from PyPI into the cache (no network when the cached file has
 * the pinned sha256); the URL comes from the PEP 503 index, whose sha256 must match the pin.
 */
export async function pypiSdist(ctx: Ctx, project: string, filename: string, sha256: string) {
  const dest = join(ctx.root, "downloads", filename);
  const checksum = { algorithm: "sha256" as const, hex: sha256 };
  if (!existsSync(dest) || (await cachedDigest(dest)) !== sha256) {
    const link = simpleIndexLink(await fetchText(`${PYPI_SIMPLE}/${project}/`), filename);
    if (link.sha256 !== sha256)
      throw new Error(`${filename}: PyPI lists sha256 ${link.sha256}, pinned ${sha256}`);
    await download(link.url, dest, checksum, ctx.log);
  }
  return { file: dest, sha256 };
}

export async function sparkImage(ctx: Ctx, base: Base, spark: SparkVersion): Promise<BuiltImage> {
  const filename = `pyspark-${spark.version}.tar.gz`;
  const sdist = await pypiSdist(ctx, "pyspark", filename, spark.sdistSha256);
  const entrypoint = await readFile(join(FILES, "entrypoint.sh"), "utf8");
  const decom = await readFile(join(FILES, "decom.sh"), "utf8");
  return buildImage(ctx, {
    name: `spark-${spark.version}`,
    lower: [base.layer],
    recipe: { sdist: sdist.sha256, entrypoint, decom, sbin: SBIN_SCRIPTS, revision: 1 },
    spec: {
      ref: spark.ref,
      user: "spark",
      workingDir: "/opt/spark/work-dir",
      entrypoint: ["/opt/entrypoint.sh"],
      env: [
        `PATH=${JAVA_HOME}/bin:${DEFAULT_PATH}`,
        `JAVA_HOME=${JAVA_HOME}`,
        "LANG=C.UTF-8",
        "JAVA_VERSION=17",
        "SPARK_HOME=/opt/spark",
      ],
      labels: { "org.spark-platform.stand-in": `apache/spark ${spark.version} from PyPI pyspark` },
    },
    fill: async (tree) => {
      const src = join(tree, "src");
      await mkdir(src);
      const top = `pyspark-${spark.version}`;
      await step(ctx.log, `spark-${spark.version}: unpack ${filename}`, () =>
        runOk(
          "tar",
          ["-xzf", sdist.file, "-C", src, `${top}/deps`, `${top}/pyspark`, `${top}/lib`],
          {
            nice: 10,
          },
        ),
      );
      const from = join(src, top);
      const home = join(tree, "opt", "spark");
      await mkdir(join(home, "python"), { recursive: true });
      await mkdir(join(home, "examples", "src", "main"), { recursive: true });
      for (const dir of ["bin", "sbin", "jars", "data"]) {
        await rename(join(from, "deps", dir), join(home, dir));
      }
      await rename(join(from, "deps", "examples"), join(home, "examples", "src", "main", "python"));
      await rename(join(from, "pyspark"), join(home, "python", "pyspark"));
      await rename(join(from, "lib"), join(home, "python", "lib"));
      for (const [name, text] of Object.entries(SBIN_SCRIPTS)) {
        await writeFile(join(home, "sbin", name), text, { mode: 0o755 });
      }
      await writeFile(
        join(home, "RELEASE"),
        `Spark ${spark.version} built for Hadoop ${spark.hadoop}\n` +
          `spark-platform stand-in: assembled from the PyPI sdist pyspark==${spark.version} (deps/)\n`,
      );
      await mkdir(join(home, "work-dir"));
      await runOk("rm", ["-rf", src]);
      await runOk("chown", ["-R", `${SPARK_UID}:${SPARK_UID}`, home]);
      await chmod(join(home, "work-dir"), 0o775);
      await writeFile(join(tree, "opt", "entrypoint.sh"), entrypoint, { mode: 0o755 });
      await writeFile(join(tree, "opt", "decom.sh"), decom, { mode: 0o755 });
      await writeUser(base, tree, {
        name: "spark",
        uid: SPARK_UID,
        gid: SPARK_UID,
        gecos: "",
        home: "/nonexistent",
        shell: "/bin/sh",
      });
      // As upstream: only members of group wheel may `su`.
      const pamSu = await readFile(join(base.rootfs, "etc", "pam.d", "su"), "utf8");
      await mkdir(join(tree, "etc", "pam.d"), { recursive: true });
      await writeFile(
        join(tree, "etc", "pam.d", "su"),
        `${pamSu}auth required pam_wheel.so use_uid\n`,
      );
    },
  });
}
