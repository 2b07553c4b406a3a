/**
 * s3a inside a derived Spark image, without the init container's download: a MinIO of our
 * own on 127.0.0.1 (scripts/minio-local.sh with a private data directory and port), the
 * platform's own s3a settings (lib/spark/s3a.ts, endpoint pointed at that MinIO) as the
 * image's core-site.xml, the credentials as AWS_* variables from a file (as pods get them
 * from a Secret), and Hadoop's FsShell run through the image's entrypoint and
 * `spark-class`: put, ls and cat of an object under the release's event-log prefix.
 */
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { Client as MinioClient } from "minio";
import { run, type RunResult } from "../../cluster/support/runCommand";
import type { Log } from "../../cluster/images/progress";
import { cacheRoot } from "../../lib/cache/cacheRoot";

/** core-site.xml of the given properties (values escaped). */
export function coreSiteXml(properties: Readonly<Record<string, string>>): string {
  const escape = (text: string) =>
    text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const body = Object.entries(properties)
    .map(([k, v]) => `  <property><name>${escape(k)}</name><value>${escape(v)}</value></property>`)
    .join("\n");
  return `<?xml version="1.0"?>\n<configuration>\n${body}\n</configuration>\n`;
}

/**
 * The shell the check runs in the image (after its entrypoint): one FsShell JVM per step,
 * as `hadoop fs` would start them. Prints the listing and the object's text; exits non-zero
 * at the first failing step.
 */
export function fsShellScript(url: string, marker: string): string {
  const fs = "/opt/spark/bin/spark-class org.apache.hadoop.fs.FsShell";
  const dir = url.replace(/\/[^/]+$/, "");
  return [
    "set -e",
    `printf '%s\\n' '${marker}' | ${fs} -put -f - '${url}'`,
    `${fs} -ls '${dir}'`,
    `${fs} -cat '${url}'`,
  ].join("\n");
}

/** What the FsShell output must show: the object listed and its text read back. */
export function fsShellVerdict(output: string, url: string, marker: string): string | undefined {
  if (!output.includes(url)) return `the listing does not show ${url}`;
  if (!output.split("\n").some((line) => line.trim() === marker))
    return `cat did not print ${marker}`;
  return undefined;
}

export interface LoopbackMinio {
  readonly endpoint: string;
  readonly accessKey: string;
  readonly secretKey: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts MinIO on a free loopback port with data under `dir` and throw-away credentials
 * (passed in the environment, never on a command line), creates `bucket`, and stops it
 * (the script kills the PID it started) on `stop()`.
 */
export async function startLoopbackMinio(
  repoDir: string,
  dir: string,
  bucket: string,
  log: Log,
): Promise<LoopbackMinio> {
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const accessKey = `check${randomBytes(6).toString("hex")}`;
  const secretKey = randomBytes(24).toString("hex");
  const env = {
    ...process.env,
    SPARK_PLATFORM_CACHE_DIR: dir,
    // The server binary stays where scripts/toolchain.sh built it.
    SPARK_PLATFORM_TOOLCHAIN_DIR:
      process.env.SPARK_PLATFORM_TOOLCHAIN_DIR || join(cacheRoot(), "toolchain"),
    SPARK_PLATFORM_MINIO_HOST: "127.0.0.1",
    SPARK_PLATFORM_MINIO_PORT: String(port),
    SPARK_PLATFORM_MINIO_ROOT_USER: accessKey,
    SPARK_PLATFORM_MINIO_ROOT_PASSWORD: secretKey,
  };
  const script = join(repoDir, "scripts", "minio-local.sh");
  const started = await run("bash", [script, "start"], { env });
  if (started.code !== 0) throw new Error(`MinIO did not start:\n${started.output.trim()}`);
  const endpoint = `http://127.0.0.1:${port}`;
  log(`MinIO on ${endpoint} (data ${dir})`);
  const stop = async () => {
    await run("bash", [script, "stop"], { env });
    log(`MinIO on ${endpoint} stopped`);
  };
  try {
    const client = new MinioClient({
      endPoint: "127.0.0.1",
      port,
      useSSL: false,
      accessKey,
      secretKey,
      region: "us-east-1",
    });
    await client.makeBucket(bucket, "us-east-1");
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, accessKey, secretKey, stop };
}

/** Runs `args` in image `ref` (read-only root, /tmp and /etc/hosts mounted) with extra ctr options. */
export type CtrRun = (
  ref: string,
  args: readonly string[],
  extra?: readonly string[],
) => Promise<RunResult>;

export interface S3aProbe {
  /** A directory of our own for the image's core-site.xml and environment file. */
  readonly dir: string;
  readonly url: string;
  readonly marker: string;
  /** s3a settings (no credentials) for core-site.xml. */
  readonly settings: Readonly<Record<string, string>>;
  readonly minio: LoopbackMinio;
}

/** Hadoop's words when no s3a implementation is on the classpath. */
export const S3A_MISSING = "S3AFileSystem not found";

/**
 * Runs the FsShell script in `ref` through its entrypoint with the host's network (the
 * MinIO is on loopback), core-site.xml mounted as HADOOP_CONF_DIR and the credentials as
 * AWS_* variables from a file. `problem` is undefined when the object was written, listed
 * and read back; `missingS3a` tells a run that failed for want of the s3a classes.
 */
export async function runS3aProbe(ctrRun: CtrRun, ref: string, probe: S3aProbe) {
  const conf = join(probe.dir, "conf");
  await mkdir(conf, { recursive: true });
  await writeFile(join(conf, "core-site.xml"), coreSiteXml(probe.settings), { mode: 0o644 });
  const envFile = join(probe.dir, "env");
  const env = [
    `AWS_ACCESS_KEY_ID=${probe.minio.accessKey}`,
    `AWS_SECRET_ACCESS_KEY=${probe.minio.secretKey}`,
    "HADOOP_CONF_DIR=/opt/hadoop-conf",
  ];
  await writeFile(envFile, `${env.join("\n")}\n`, { mode: 0o600 });
  const r = await ctrRun(
    ref,
    ["/opt/entrypoint.sh", "bash", "-c", fsShellScript(probe.url, probe.marker)],
    [
      "--net-host",
      "--env-file",
      envFile,
      "--mount",
      `type=bind,src=${conf},dst=/opt/hadoop-conf,options=rbind:ro`,
    ],
  );
  const problem =
    r.code === 0
      ? fsShellVerdict(r.stdout, probe.url, probe.marker)
      : `exit ${r.code}: ${r.output.trim().split("\n").slice(-15).join("\n")}`;
  const evidence = r.stdout
    .trim()
    .split("\n")
    .filter((l) => l.includes(probe.url) || l.trim() === probe.marker);
  return { problem, evidence, missingS3a: r.code !== 0 && r.output.includes(S3A_MISSING) };
}
