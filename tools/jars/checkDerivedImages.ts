/**
 * Checks of built derived-image archives, as a cluster node would see them: skopeo reads
 * each archive's config (user, entrypoint, command, workdir, env must be the base's); a
 * temporary containerd of our own imports every archive with `ctr -n k8s.io images import`
 * (under the name the platform's config will use) and runs with runc: the image's user,
 * the SHA-256 and owner of every added jar, the `check-jars` init containers the `local`
 * stack renders with `jars.source: image` (read-only root, as in the pods), and, with
 * `s3a`, Hadoop's FsShell against a loopback MinIO in the Spark images.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { fullyQualified } from "../../cluster/images/oci";
import { type Log, seconds } from "../../cluster/images/progress";
import { run, runOk } from "../../cluster/support/runCommand";
import { jarFileName } from "../../lib/jars/catalog";
import { HIVE_LIB_DIR, IMAGE_SPARK_JARS_DIR } from "../../lib/jars/plan";
import { LOG_PREFIX } from "../../lib/jars/scripts";
import { configDifferences, jarListingProblems, type ImageConfig } from "./archiveChecks";
import type { BuiltDerivedImage } from "./buildDerivedImages";
import { CHECK_TOOLS, ensureHostTools } from "./hostTools";
import type { JarCheck } from "./renderedJarChecks";
import { runS3aProbe, startLoopbackMinio } from "./s3aProbe";
import { startTempContainerd } from "./tempContainerd";

export interface CheckDerivedImagesOptions {
  readonly repoDir: string;
  /** Scratch space (a temporary directory is made and removed under it). */
  readonly workDir: string;
  readonly built: readonly BuiltDerivedImage[];
  /** The base archive of each built image (by image name), for its config. */
  readonly baseArchives: Readonly<Record<string, string>>;
  /** `check-jars` containers of the stack rendered with the derived images. */
  readonly jarChecks: readonly JarCheck[];
  /** s3a settings of the stack (no credentials), by Spark image name; with them the s3a probe runs. */
  readonly s3a?: {
    readonly bucket: string;
    readonly prefix: Readonly<Record<string, string>>;
    settings(name: string, endpoint: string): Record<string, string>;
  };
  readonly log: Log;
}

export interface CheckResult {
  readonly image: string;
  readonly check: string;
  /** undefined when it passed. */
  readonly problem: string | undefined;
  readonly seconds: number;
}

async function archiveConfig(workDir: string, archive: string): Promise<ImageConfig> {
  const json = await runOk("skopeo", ["inspect", "--config", `oci-archive:${archive}`], {
    env: { ...process.env, TMPDIR: workDir },
  });
  return ((JSON.parse(json) as { config?: ImageConfig }).config ?? {}) as ImageConfig;
}

/** Runs every check; returns one result per check (the caller prints and counts failures). */
export async function checkDerivedImages(o: CheckDerivedImagesOptions): Promise<CheckResult[]> {
  await ensureHostTools(CHECK_TOOLS, o.log);
  await mkdir(o.workDir, { recursive: true });
  const dir = await mkdtemp(join(o.workDir, "check-"));
  const results: CheckResult[] = [];
  const record = (image: string, check: string, start: number, problem: string | undefined) => {
    results.push({ image, check, problem, seconds: (Date.now() - start) / 1000 });
    o.log(
      `${problem ? "FAIL" : "ok  "} ${image}: ${check} (${seconds(start)})${problem ? `\n     ${problem.split("\n").join("\n     ")}` : ""}`,
    );
  };
  const configs = new Map<string, ImageConfig>();
  for (const b of o.built) {
    const start = Date.now();
    const derived = await archiveConfig(dir, b.archive);
    const base = await archiveConfig(dir, o.baseArchives[b.image.name]!);
    configs.set(b.image.name, derived);
    const diffs = configDifferences(base, derived);
    record(
      b.image.name,
      "config (user, entrypoint, cmd, workdir, env) is the base's",
      start,
      diffs.length ? diffs.join("; ") : undefined,
    );
  }

  const files = join(dir, "files");
  const tmp = join(dir, "tmp");
  await mkdir(files, { recursive: true, mode: 0o700 });
  await mkdir(tmp, { recursive: true });
  await runOk("chmod", ["1777", tmp]);
  // Spark resolves its own host name at start, as a pod's /etc/hosts lets it.
  await writeFile(join(files, "hosts"), `127.0.0.1\tlocalhost ${hostname()}\n`);
  const containerd = await startTempContainerd(join(dir, "containerd"), o.log);
  let n = 0;
  const ctrRun = async (ref: string, args: readonly string[], extra: readonly string[] = []) => {
    const base = ["--address", containerd.address, "-n", "k8s.io", "run", "--rm", "--read-only"];
    base.push("--mount", `type=bind,src=${join(files, "hosts")},dst=/etc/hosts,options=rbind:ro`);
    base.push("--mount", `type=bind,src=${tmp},dst=/tmp,options=rbind:rw`);
    return run("timeout", [
      "600",
      "ctr",
      ...base,
      ...extra,
      fullyQualified(ref),
      `check-${++n}`,
      ...args,
    ]);
  };
  let minio: Awaited<ReturnType<typeof startLoopbackMinio>> | undefined;
  try {
    for (const b of o.built) {
      const start = Date.now();
      await containerd.ctr(["images", "import", b.archive]);
      const listed = (await containerd.ctr(["images", "ls", "-q"])).split("\n");
      const problem = listed.includes(fullyQualified(b.ref))
        ? undefined
        : `containerd lists ${listed.join(", ")}, not ${fullyQualified(b.ref)}`;
      record(b.image.name, `ctr images import names it ${fullyQualified(b.ref)}`, start, problem);
    }
    // The bases too, for the controls (their layers are stored already: only configs are new).
    for (const b of o.built) {
      const start = Date.now();
      await containerd.ctr(["images", "import", o.baseArchives[b.image.name]!]);
      o.log(`imported the base ${b.image.base} for the controls (${seconds(start)})`);
    }
    for (const b of o.built) {
      let start = Date.now();
      const user = configs.get(b.image.name)?.User ?? "";
      const id = await ctrRun(b.ref, ["sh", "-c", "echo $(id -un) $(id -u)"]);
      const who = id.stdout.trim().split(/\s+/);
      record(
        b.image.name,
        `runs as the base's user ${user}`,
        start,
        id.code === 0 && who.includes(user)
          ? undefined
          : `id printed ${id.output.trim()} (exit ${id.code})`,
      );

      start = Date.now();
      const jarDir = b.image.name.startsWith("spark-") ? IMAGE_SPARK_JARS_DIR : HIVE_LIB_DIR;
      const paths = b.image.set.artifacts.map((a) => `${jarDir}/${jarFileName(a)}`);
      const listing = await ctrRun(b.ref, [
        "sh",
        "-c",
        'sha256sum "$@" && stat -c "%U:%G %a %n" "$@"',
        "sh",
        ...paths,
      ]);
      const problems =
        listing.code === 0
          ? jarListingProblems(listing.stdout, jarDir, b.image.set.artifacts, user)
          : [`exit ${listing.code}: ${listing.output.trim()}`];
      record(
        b.image.name,
        `${paths.length} jar(s) in ${jarDir} with their pinned SHA-256`,
        start,
        problems.length ? problems.join("; ") : undefined,
      );

      for (const check of o.jarChecks.filter(
        (c) => fullyQualified(c.image) === fullyQualified(b.ref),
      )) {
        start = Date.now();
        const r = await ctrRun(b.ref, check.command);
        record(
          b.image.name,
          `check-jars of ${check.usedBy.join(", ")}`,
          start,
          r.code === 0 ? undefined : `exit ${r.code}: ${r.output.trim()}`,
        );
        // Control: the same check on the base must refuse it, or passing proved nothing.
        start = Date.now();
        const control = await ctrRun(b.image.base, check.command);
        record(
          b.image.name,
          `control: that check-jars refuses the base ${b.image.base}`,
          start,
          control.code !== 0 && control.output.includes(LOG_PREFIX)
            ? undefined
            : `exit ${control.code}: ${control.output.trim() || "(no output)"}`,
        );
      }
    }
    if (
      !o.jarChecks.some((c) =>
        o.built.some((b) => fullyQualified(c.image) === fullyQualified(b.ref)),
      )
    ) {
      record(
        "(stack)",
        "the stack renders check-jars for the built images",
        Date.now(),
        "no check-jars container names a built image",
      );
    }
    const sparkImages = o.built.filter((b) => b.image.name.startsWith("spark-"));
    if (o.s3a && sparkImages.length > 0) {
      minio = await startLoopbackMinio(o.repoDir, join(dir, "minio"), o.s3a.bucket, o.log);
      for (const b of sparkImages) {
        const probe = {
          dir: join(files, `s3a-${b.image.name}`),
          url: `s3a://${o.s3a.bucket}/${o.s3a.prefix[b.image.name]}/derived-image-check/probe.txt`,
          marker: `derived image ${b.ref} reads and writes s3a`,
          settings: o.s3a.settings(b.image.name, minio.endpoint),
          minio,
        };
        let start = Date.now();
        const derived = await runS3aProbe(ctrRun, b.ref, probe);
        record(
          b.image.name,
          `s3a without downloads: FsShell put, ls, cat ${probe.url}`,
          start,
          derived.problem,
        );
        if (!derived.problem) o.log(`     ${derived.evidence.join("\n     ")}`);
        start = Date.now();
        const control = await runS3aProbe(ctrRun, b.image.base, probe);
        record(
          b.image.name,
          `control: the base ${b.image.base} cannot (S3AFileSystem not found)`,
          start,
          control.missingS3a
            ? undefined
            : `the base's run did not fail for want of S3AFileSystem: ${control.problem ?? "it passed"}`,
        );
      }
    }
  } finally {
    await minio?.stop();
    await containerd.stop();
    await runOk("sh", [
      "-c",
      `grep -o " ${dir}[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l || true`,
    ]);
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}
