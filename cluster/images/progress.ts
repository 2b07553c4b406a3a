/**
 * Process, timing and download helpers of the stand-in image builder. Every long step
 * reports progress with elapsed seconds, so a cold build (minutes) never looks hung.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

export type Log = (line: string) => void;

export function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** Runs `fn`, logging start, a heartbeat every `tickSeconds` and the elapsed time. */
export async function step<T>(log: Log, label: string, fn: () => Promise<T>, tickSeconds = 20) {
  const start = Date.now();
  log(`${label} ...`);
  const timer = setInterval(
    () => log(`${label}: still running (${seconds(start)})`),
    tickSeconds * 1000,
  );
  try {
    const result = await fn();
    log(`${label}: done in ${seconds(start)}`);
    return result;
  } finally {
    clearInterval(timer);
  }
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Lines of output to keep for the error message (the rest goes nowhere unless `echo`). */
  keepLines?: number;
  /** Forward every output line to the log. */
  echo?: Log;
  /** Run at lower CPU priority (the machine is shared with long Go builds). */
  nice?: boolean;
}

/** Runs a command; resolves with its stdout, rejects with the tail of its output. */
export function run(cmd: string, args: readonly string[], options: RunOptions = {}) {
  const [file, argv] = options.nice ? ["nice", ["-n", "10", cmd, ...args]] : [cmd, [...args]];
  return new Promise<string>((resolve, reject) => {
    const child = spawn(file, argv, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const tail: string[] = [];
    const keep = options.keepLines ?? 40;
    const collect = (chunk: Buffer, isStdout: boolean) => {
      if (isStdout) out.push(chunk);
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line) continue;
        options.echo?.(line);
        tail.push(line);
        if (tail.length > keep) tail.shift();
      }
    };
    child.stdout.on("data", (c: Buffer) => collect(c, true));
    child.stderr.on("data", (c: Buffer) => collect(c, false));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
      else reject(new Error(`${cmd} ${args.join(" ")} exited ${code}\n${tail.join("\n")}`));
    });
  });
}

export async function fileDigest(path: string, algorithm: "sha256" | "sha1" = "sha256") {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** sha256 of a file, remembered next to it (`<file>.sha256`) so warm runs skip re-hashing. */
export async function cachedDigest(path: string): Promise<string> {
  const memo = `${path}.sha256`;
  const info = await stat(path);
  if (existsSync(memo)) {
    const [digest, size, mtime] = (await readFile(memo, "utf8")).trim().split(" ");
    if (digest && Number(size) === info.size && Number(mtime) === Math.floor(info.mtimeMs))
      return digest;
  }
  const digest = await fileDigest(path);
  await writeFile(memo, `${digest} ${info.size} ${Math.floor(info.mtimeMs)}\n`);
  return digest;
}

export interface Checksum {
  algorithm: "sha256" | "sha1";
  hex: string;
}

/**
 * Downloads `url` to `dest` unless a file with the expected checksum is already there.
 * Progress every 5 s; returns bytes and seconds (0 when cached).
 */
export async function download(
  url: string,
  dest: string,
  checksum: Checksum | undefined,
  log: Log,
) {
  if (
    existsSync(dest) &&
    (!checksum || (await fileDigest(dest, checksum.algorithm)) === checksum.hex)
  ) {
    return { bytes: (await stat(dest)).size, seconds: 0, cached: true };
  }
  await mkdir(dirname(dest), { recursive: true });
  const start = Date.now();
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`GET ${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get("content-length") ?? 0);
  const part = `${dest}.part`;
  const sink = createWriteStream(part);
  let bytes = 0;
  let lastReport = Date.now();
  const name = url.split("/").pop();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    if (!sink.write(chunk)) await new Promise<void>((r) => sink.once("drain", () => r()));
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      log(`download ${name}: ${mib(bytes)}${total ? ` of ${mib(total)}` : ""} (${seconds(start)})`);
    }
  }
  await new Promise<void>((resolve, reject) =>
    sink.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  if (checksum && (await fileDigest(part, checksum.algorithm)) !== checksum.hex) {
    await rm(part, { force: true });
    throw new Error(`${url}: ${checksum.algorithm} mismatch`);
  }
  await rename(part, dest);
  const secs = (Date.now() - start) / 1000;
  log(`download ${name}: ${mib(bytes)} in ${secs.toFixed(1)} s`);
  return { bytes, seconds: secs, cached: false };
}

export function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

export async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response.text();
}
