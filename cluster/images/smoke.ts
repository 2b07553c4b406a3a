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
import { SMOKE_CHECKS, type SmokeCheck } from "./checks";
import type { BuiltImage } from "./image";
import { fullyQualified } from "./oci";
import { type Log, run, seconds } from "./run";

interface Outcome {
  code: number;
  output: string;
}

function capture(cmd: string, args: readonly string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    child.on("close", (code) =>
      resolve({ code: code ?? -1, output: Buffer.concat(chunks).toString("utf8") }),
    );
    child.on("error", (err) => resolve({ code: -1, output: String(err) }));
  });
}

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
  const version = await capture("ctr", ["--address", address, "version"]);
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
  args.push("--mount", `type=bind,src=${tmp},dst=/tmp,options=rbind:rw`);
  for (const [dst, src] of Object.entries(check.files ?? {})) {
    args.push(
      "--mount",
      `type=bind,src=${join(tmp, "..", "files", src)},dst=${dst},options=rbind:ro`,
    );
  }
  return [...args, ref, id, ...check.args];
}

/** Imports every image and runs its checks; returns the number of failed checks. */
export async function smokeTest(images: readonly BuiltImage[], log: Log): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "spark-platform-images-smoke-"));
  const containerd = await startContainerd(dir, log);
  let failed = 0;
  try {
    for (const image of images) {
      const start = Date.now();
      await run("ctr", [
        "--address",
        containerd.address,
        "-n",
        "k8s.io",
        "images",
        "import",
        image.tar,
      ]);
      log(`smoke: imported ${image.ref} in ${seconds(start)}`);
    }
    const listed = await run("ctr", [
      "--address",
      containerd.address,
      "-n",
      "k8s.io",
      "images",
      "ls",
      "-q",
    ]);
    log(`smoke: containerd lists ${listed.trim().split("\n").join(", ")}`);
    let n = 0;
    for (const image of images) {
      for (const check of SMOKE_CHECKS.filter((c) => c.ref === image.ref)) {
        const tmp = join(dir, `tmp-${++n}`);
        await mkdir(tmp, { recursive: true, mode: 0o1777 });
        await run("chmod", ["1777", tmp]);
        await mkdir(join(dir, "files"), { recursive: true });
        await writeFile(join(dir, "files", "hosts"), `127.0.0.1\tlocalhost ${hostname()}\n`);
        for (const [name, text] of Object.entries(check.fileTexts ?? {})) {
          await writeFile(join(dir, "files", name), text, { mode: 0o644 });
        }
        const start = Date.now();
        const args = ctrRunArgs(
          containerd.address,
          fullyQualified(image.ref),
          `smoke-${n}`,
          check,
          tmp,
        );
        const outcome = await capture("timeout", [
          String(check.timeoutSeconds ?? 120),
          "ctr",
          ...args,
        ]);
        const verdict = check.verify(outcome.code, outcome.output);
        log(
          `smoke: ${verdict ? "FAIL" : "ok  "} ${image.ref} ${check.name} (${seconds(start)}, exit ${outcome.code})`,
        );
        if (verdict) {
          failed++;
          log(`  ${verdict}\n  ${outcome.output.trim().split("\n").slice(-15).join("\n  ")}`);
        }
      }
    }
  } finally {
    await containerd.stop();
    await run("sh", [
      "-c",
      `grep -o " ${dir}[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l || true`,
    ]);
    await rm(dir, { recursive: true, force: true });
  }
  log(`smoke: ${failed === 0 ? "all checks passed" : `${failed} check(s) failed`}`);
  return failed;
}
