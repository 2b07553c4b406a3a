// Wrapper modules: a fresh directory under <toolchain>/work holding the go.mod a part is
// built from, and the install of what it built into the part's cache directory.
import * as fs from "node:fs";
import * as path from "node:path";
import { go, goOutput, moduleDirOf, type GoOptions } from "./goCommand";
import { log } from "./toolchainLog";

/** go.mod of an empty wrapper module. */
export function wrapperGoMod(module: string, goVersion: string): string {
  return `module ${module}\n\ngo ${goVersion}\n`;
}

/** Removes `dir` and makes it again, empty. */
export function freshDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}

/** A fresh wrapper module directory with only its go.mod. */
export function newWrapper(dir: string, module: string, goVersion: string): void {
  freshDir(dir);
  fs.writeFileSync(path.join(dir, "go.mod"), wrapperGoMod(module, goVersion));
}

/**
 * Copies files out of the module cache (read-only there) and makes them writable by
 * their owner, as `cp` and `chmod u+w` would.
 */
export function copyWritable(fromDir: string, names: readonly string[], toDir: string): void {
  for (const name of names) {
    const to = path.join(toDir, name);
    fs.copyFileSync(path.join(fromDir, name), to);
    fs.chmodSync(to, fs.statSync(to).mode | 0o200);
  }
}

/**
 * In `o.cwd`, a wrapper module whose go.mod/go.sum are the module's own (same dependency
 * versions, same replaces, and hashes for dependencies that the sum database reachable
 * here does not know), renamed to `name` and requiring the module itself. Resolves with the
 * module's directory in the module cache.
 */
export async function wrapperFromModule(
  o: GoOptions,
  mod: string,
  version: string,
  name: string,
): Promise<string> {
  const dir = moduleDirOf(await goOutput(["mod", "download", "-json", `${mod}@${version}`], o));
  if (!dir || !fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    log(`download of ${mod}@${version} failed`);
    throw new Error(`no module directory for ${mod}@${version}`);
  }
  copyWritable(dir, ["go.mod", "go.sum"], o.cwd);
  await go(["mod", "edit", "-module", name, "-require", `${mod}@${version}`], o);
  return dir;
}

/** Moves a built binary into `destDir` under `name`, atomically (through name.tmp). */
export function installBinary(built: string, destDir: string, name: string): void {
  fs.mkdirSync(destDir, { recursive: true });
  const tmp = path.join(destDir, `${name}.tmp`);
  try {
    fs.renameSync(built, tmp);
  } catch (e) {
    // Another file system (SPARK_PLATFORM_TOOLCHAIN_DIR elsewhere): copy, then remove.
    if ((e as NodeJS.ErrnoException).code !== "EXDEV") throw e;
    fs.copyFileSync(built, tmp);
    fs.rmSync(built);
  }
  fs.renameSync(tmp, path.join(destDir, name));
}
