/**
 * Smoke checks of the built images in a temporary containerd of our own (own root, state
 * and socket under /tmp, started and stopped by PID; the CRI plugin is disabled, so it never
 * touches the cluster's containerd): `ctr images import` of every tar, then `ctr run` of
 * each image's checks, which exercise the entrypoints the way the platform's pods do.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { SMOKE_CHECKS, type SmokeCheck } from "./smokeChecks";
import { HIVE_VERSIONS } from "./hive";
import type { BuiltImage } from "./image";
import { imagesCacheDir } from "../clusterLayout";
import { connectCheck, connectPairWanted } from "./smokeConnect";
import { dbChecks, postgresAvailable, startPostgres } from "./smokeDb";
import { fullyQualified } from "./oci";
import { run, runOk } from "../support/runCommand";
import { type Log, seconds } from "./progress";

async function startContainerd(dir: string, log: Log) {
  const address = join(dir, "containerd.sock");
  const config = join(dir, "config.toml");
  await writeFile(
    config,
    [
      "version = 2",
      `root = "${join(dir, "root")}"`,
      `state = "${join(dir, "state")}"`,
      'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
      "[grpc]",
      `  address = "${address}"`,
      "[ttrpc]",
      `  address = "${join(dir, "containerd-ttrpc.sock")}"`,
      '[plugins."io.containerd.internal.v1.opt"]',
      `  path = "${join(dir, "opt")}"`,
      "",
    ].join("\n"),
  );
  const child = spawn("containerd", ["--config", config], {
    stdio: ["ignore", "ignore", "pipe"],
    detached: false,
  });
  const errLines: string[] = [];
  child.stderr.on("data", (c: Buffer) =>
    errLines.push(...c.toString("utf8").split("\n").slice(-5)),
  );
  for (let i = 0; i < 100 && !existsSync(address); i++)
    await new Promise((r) => setTimeout(r, 100));
  const version = await run("ctr", ["--address", address, "version"]);
  if (version.code !== 0) {
    child.kill("SIGTERM");
    throw new Error(`temporary containerd did not start:\n${errLines.slice(-10).join("\n")}`);
  }
  log(`smoke: temporary containerd pid ${child.pid} at ${address}`);
  const stop = async () => {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    log(`smoke: temporary containerd pid ${child.pid} stopped`);
  };
  return { address, stop };
}

function ctrRunArgs(
  address: string,
  ref: string,
  id: string,
  check: SmokeCheck,
  tmp: string,
): string[] {
  // ctr 1.6 has no --hostname: the container keeps the host's name, which a pod's /etc/hosts
  // would list (Spark resolves its own name at start).
  const args = ["--address", address, "-n", "k8s.io", "run", "--rm"];
  args.push(
    "--mount",
    `type=bind,src=${join(tmp, "..", "files", "hosts")},dst=/etc/hosts,options=rbind:ro`,
  );
  for (const [k, v] of Object.entries(check.env ?? {})) args.push("--env", `${k}=${v}`);
  if (check.readOnly) args.push("--read-only");
  if (check.netHost) args.push("--net-host");
  for (const [dst, src] of Object.entries(check.hostMounts ?? {})) {
    args.push("--mount", `type=bind,src=${src},dst=${dst},options=rbind:ro`);
  }
  args.push("--mount", `type=bind,src=${tmp},dst=/tmp,options=rbind:rw`);
  for (const [dst, src] of Object.entries(check.files ?? {})) {
    args.push(
      "--mount",
      `type=bind,src=${join(tmp, "..", "files", src)},dst=${dst},options=rbind:ro`,
    );
  }
  return [...args, ref, id, ...check.args];
}

async function ctr(address: string, args: string[]) {
  return runOk("ctr", ["--address", address, "-n", "k8s.io", ...args]);
}

/** Runs one check; returns an error message or undefined. */
async function runCheck(address: string, dir: string, n: number, check: SmokeCheck, log: Log) {
  const tmp = join(dir, `tmp-${n}`);
  await mkdir(tmp, { recursive: true });
  await runOk("chmod", ["1777", tmp]);
  await mkdir(join(dir, "files"), { recursive: true });
  await writeFile(join(dir, "files", "hosts"), `127.0.0.1\tlocalhost ${hostname()}\n`);
  for (const [name, text] of Object.entries(check.fileTexts ?? {})) {
    await writeFile(join(dir, "files", name), text, { mode: 0o644 });
  }
  const start = Date.now();
  const args = ctrRunArgs(address, fullyQualified(check.ref), `smoke-${n}`, check, tmp);
  const outcome = await run("timeout", [String(check.timeoutSeconds ?? 120), "ctr", ...args]);
  const verdict = check.verify(outcome.code, outcome.output);
  log(
    `smoke: ${verdict ? "FAIL" : "ok  "} ${check.ref} ${check.name} (${seconds(start)}, exit ${outcome.code})`,
  );
  if (verdict) log(`  ${verdict}\n  ${outcome.output.trim().split("\n").slice(-15).join("\n  ")}`);
  return verdict;
}

/**
 * Imports every image and runs its checks (plus the database checks of the Hive images
 * when Debian's PostgreSQL is installed); returns the number of failed checks.
 */
export async function smokeTest(
  images: readonly BuiltImage[],
  log: Log,
  cacheDir: string,
): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "spark-platform-images-smoke-"));
  await runOk("chmod", ["755", dir]); // the PostgreSQL server runs as user postgres
  const containerd = await startContainerd(dir, log);
  const stops: (() => Promise<void>)[] = [containerd.stop];
  let failed = 0;
  try {
    for (const image of images) {
      const start = Date.now();
      await ctr(containerd.address, ["images", "import", image.tar]);
      log(`smoke: imported ${image.ref} in ${seconds(start)}`);
    }
    const listed = await ctr(containerd.address, ["images", "ls", "-q"]);
    log(`smoke: containerd lists ${listed.trim().split("\n").join(", ")}`);
    const refs = new Set(images.map((i) => i.ref));
    const checks = SMOKE_CHECKS.filter((c) => refs.has(c.ref));
    const hive = HIVE_VERSIONS.filter((h) => refs.has(h.ref));
    if (hive.length > 0 && postgresAvailable()) {
      stops.unshift(await startPostgres(join(dir, "postgres"), log));
      const ctx = { root: imagesCacheDir(cacheDir), log };
      for (const h of hive) checks.push(...(await dbChecks(ctx, h.ref, h.version)));
    } else if (hive.length > 0) {
      log("smoke: no PostgreSQL 15 binaries: database checks skipped");
    }
    let n = 0;
    for (const check of checks) {
      if (await runCheck(containerd.address, dir, ++n, check, log)) failed++;
    }
    if (connectPairWanted(refs)) {
      const verdict = await connectCheck(containerd.address, dir, log);
      if (verdict) {
        failed++;
        log(`  ${verdict}`);
      }
    }
  } finally {
    for (const stop of stops) await stop();
    await runOk("sh", [
      "-c",
      `grep -o " ${dir}[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l || true`,
    ]);
    await rm(dir, { recursive: true, force: true });
  }
  log(`smoke: ${failed === 0 ? "all checks passed" : `${failed} check(s) failed`}`);
  return failed;
}
