/**
 * A containerd of our own for checking archives: its root, state and sockets in a
 * directory we make, the CRI plugin disabled (it never serves or touches a cluster),
 * started and stopped by PID. `ctr -n k8s.io images import` into it is the import a
 * cluster node does; `ctr run` runs an image with runc as the node's containerd would.
 * (The stand-ins' smoke checks start theirs the same way.)
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { run, runOk } from "../../cluster/support/runCommand";
import type { Log } from "../../cluster/images/progress";

export interface TempContainerd {
  readonly address: string;
  /** `ctr --address <ours> -n k8s.io <args>`; resolves with stdout, rejects on failure. */
  ctr(args: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

/** config.toml of a containerd living entirely under `dir`. */
export function containerdConfig(dir: string): string {
  return [
    "version = 2",
    `root = "${join(dir, "root")}"`,
    `state = "${join(dir, "state")}"`,
    'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
    "[grpc]",
    `  address = "${join(dir, "containerd.sock")}"`,
    "[ttrpc]",
    `  address = "${join(dir, "containerd-ttrpc.sock")}"`,
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = "${join(dir, "opt")}"`,
    "",
  ].join("\n");
}

export async function startTempContainerd(dir: string, log: Log): Promise<TempContainerd> {
  const address = join(dir, "containerd.sock");
  const config = join(dir, "config.toml");
  await mkdir(dir, { recursive: true });
  await writeFile(config, containerdConfig(dir));
  const child = spawn("containerd", ["--config", config], { stdio: ["ignore", "ignore", "pipe"] });
  const errLines: string[] = [];
  child.stderr.on("data", (c: Buffer) => {
    errLines.push(...c.toString("utf8").split("\n"));
    errLines.splice(0, Math.max(0, errLines.length - 20));
  });
  for (let i = 0; i < 100 && !existsSync(address); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if ((await run("ctr", ["--address", address, "version"])).code !== 0) {
    child.kill("SIGTERM");
    throw new Error(`temporary containerd did not start:\n${errLines.join("\n")}`);
  }
  log(`temporary containerd pid ${child.pid} at ${address}`);
  return {
    address,
    ctr: (args) => runOk("ctr", ["--address", address, "-n", "k8s.io", ...args]),
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
      log(`temporary containerd pid ${child.pid} stopped`);
    },
  };
}
