// The one way cluster/ (the harness and the image builder) runs a command: captured,
// streamed line by line to a callback, or appended to a log file; checked or not.
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
  /** Called with every complete line of output (stdout and stderr), as it arrives. */
  echo?: (line: string) => void;
  /** Lines of output a failure message of `runOk` quotes (default 30). */
  tailLines?: number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
}

/** Splits a stream into lines, holding back a partial last line until the next chunk. */
function lineSplitter(onLine: (line: string) => void) {
  let rest = "";
  return {
    push(chunk: string) {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) if (line) onLine(line);
    },
    end() {
      if (rest) onLine(rest);
      rest = "";
    },
  };
}

/** Runs a command; never rejects: a command that cannot be started reads as exit 127. */
export function run(
  cmd: string,
  args: readonly string[],
  opts: RunOptions = {},
): Promise<RunResult> {
  const [file, argv] = opts.nice
    ? ["nice", ["-n", String(opts.nice), cmd, ...args]]
    : [cmd, [...args]];
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
    let output = "";
    const echo = opts.echo;
    const outLines = echo ? lineSplitter(echo) : undefined;
    const errLines = echo ? lineSplitter(echo) : undefined;
    child.stdout?.on("data", (d: Buffer) => {
      const s = d.toString();
      stdout += s;
      output += s;
      outLines?.push(s);
    });
    child.stderr?.on("data", (d: Buffer) => {
      const s = d.toString();
      stderr += s;
      output += s;
      errLines?.push(s);
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    child.on("error", (err) => {
      if (out !== undefined) fs.closeSync(out);
      const message = `${cmd}: ${err.message}`;
      resolve({ code: 127, stdout, stderr: message, output: output + message });
    });
    child.on("close", (code, signal) => {
      if (out !== undefined) fs.closeSync(out);
      outLines?.end();
      errLines?.end();
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, output });
    });
  });
}

/** Runs and resolves with stdout; rejects (quoting the tail of its output) unless it exits 0. */
export async function runOk(
  cmd: string,
  args: readonly string[],
  opts: RunOptions = {},
): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    const lines = opts.tailLines ?? 30;
    const tail = opts.logFile
      ? tailOf(opts.logFile, lines)
      : r.output.trim().split("\n").slice(-lines).join("\n");
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.code}${tail ? `:\n${tail}` : ""}`);
  }
  return r.stdout;
}

/** Exit code 0 or not; never throws. */
export async function succeeds(
  cmd: string,
  args: readonly string[],
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
