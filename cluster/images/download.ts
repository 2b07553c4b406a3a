/**
 * Downloads and file digests of the stand-in image builder: a download is skipped when a
 * file with the expected checksum is already there, and a digest is remembered beside its
 * file so warm runs skip re-hashing.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { type Log, mib, seconds } from "./progress";

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

export async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response.text();
}
