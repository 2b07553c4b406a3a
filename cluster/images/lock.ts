/**
 * A per-key build lock (an atomic mkdir holding the owner's PID), so two processes that
 * build the same cached artifact at once (the cluster harness's `up` and the images command) take
 * turns instead of writing into the same work directory. A lock whose PID is gone is stale.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Log } from "./progress";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function withLock<T>(
  root: string,
  key: string,
  log: Log,
  fn: () => Promise<T>,
): Promise<T> {
  const dir = join(root, "locks", key);
  await mkdir(join(root, "locks"), { recursive: true });
  const start = Date.now();
  let lastReport = 0;
  for (;;) {
    try {
      await mkdir(dir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const pidFile = join(dir, "pid");
    const pid = existsSync(pidFile) ? Number((await readFile(pidFile, "utf8")).trim()) : NaN;
    const age = (Date.now() - start) / 1000;
    if (Number.isFinite(pid) && !alive(pid)) {
      await rm(dir, { recursive: true, force: true }); // stale: its owner died
      continue;
    }
    if (age - lastReport >= 20) {
      lastReport = age;
      log(
        `${key}: waiting for pid ${Number.isFinite(pid) ? pid : "?"} building it (${age.toFixed(0)} s)`,
      );
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  try {
    await writeFile(join(dir, "pid"), String(process.pid));
    return await fn();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
