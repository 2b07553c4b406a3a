// Running commands: captured, checked, or streamed into a log file.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Append stdout and stderr to this file instead of capturing them. */
  logFile?: string;
  /** Niceness for long builds (runs the command under `nice -n`). */
  nice?: number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const [file, argv] = opts.nice ? ["nice", ["-n", String(opts.nice), cmd, ...args]] : [cmd, args];
  return new Promise((resolve) => {
    let out: number | undefined;
    if (opts.logFile) {
      // A fresh cache has no log directory yet: `up` stops leftovers before it makes one.
      fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
      out = fs.openSync(opts.logFile, "a");
    }
    const child = spawn(file, argv, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: [opts.input === undefined ? "ignore" : "pipe", out ?? "pipe", out ?? "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    // A command that cannot be started (not installed) reads as exit code 127, as in a shell.
    child.on("error", (err) => {
      if (out !== undefined) fs.closeSync(out);
      resolve({ code: 127, stdout, stderr: `${cmd}: ${err.message}` });
    });
    child.on("close", (code, signal) => {
      if (out !== undefined) fs.closeSync(out);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** Runs and throws (with the tail of its output) unless the command exits 0. */
export async function runOk(cmd: string, args: string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    const tail = opts.logFile
      ? tailOf(opts.logFile, 30)
      : (r.stderr || r.stdout).trim().split("\n").slice(-30).join("\n");
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.code}${tail ? `:\n${tail}` : ""}`);
  }
  return r.stdout;
}

/** Exit code only; never throws for a missing command. */
export async function succeeds(
  cmd: string,
  args: string[],
  opts: RunOptions = {},
): Promise<boolean> {
  try {
    return (await run(cmd, args, opts)).code === 0;
  } catch {
    return false;
  }
}

export function tailOf(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns whether it did. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  stepMs = 500,
): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) return false;
    await sleep(stepMs);
  }
}

export function log(line: string): void {
  process.stderr.write(`[cluster] ${line}\n`);
}

/** Times an async phase, logging start and ok/failed with seconds. */
export async function phase<T>(
  name: string,
  fn: () => Promise<T>,
  timings?: Map<string, number>,
): Promise<T> {
  const start = Date.now();
  log(`${name}: start`);
  try {
    const v = await fn();
    const s = (Date.now() - start) / 1000;
    timings?.set(name, s);
    log(`${name}: ok (${s.toFixed(1)}s)`);
    return v;
  } catch (e) {
    log(`${name}: FAILED (${((Date.now() - start) / 1000).toFixed(1)}s)`);
    throw e;
  }
}
