import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { artifactPath, artifactUrl, coordinates, type JarArtifact } from "./catalog";

/** What fillMirror did. */
export interface MirrorResult {
  /** Artifacts downloaded now. */
  readonly fetched: number;
  /** Artifacts already present with the pinned SHA-256 (not downloaded again). */
  readonly kept: number;
  /** Bytes downloaded now. */
  readonly bytes: number;
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Fills `dir` as a Maven-layout repository with `artifacts` (normally `catalogArtifacts()`)
 * downloaded from `upstreamUrl` (e.g. https://repo1.maven.org/maven2), so a static HTTP
 * server on `dir` can be `spark-platform:jars.repository`. Each file is verified against
 * its pinned SHA-256 before it takes its name (a `.part` file until then), gets a `.sha1`
 * beside it as Maven clients expect, and is kept as it is when it already verifies.
 * Throws on the first artifact it cannot get or verify, naming it, its URL and the reason.
 */
export async function fillMirror(
  dir: string,
  artifacts: readonly JarArtifact[],
  upstreamUrl: string,
  log: (line: string) => void = () => undefined,
): Promise<MirrorResult> {
  let fetched = 0;
  let kept = 0;
  let bytes = 0;
  for (const artifact of artifacts) {
    const target = join(dir, artifactPath(artifact));
    const sha1File = `${target}.sha1`;
    if (existsSync(target) && (await fileSha256(target)) === artifact.sha256) {
      if (!existsSync(sha1File)) await writeFile(sha1File, `${artifact.sha1}\n`);
      kept++;
      continue;
    }
    const url = artifactUrl(upstreamUrl, artifact);
    const fail = (reason: string) =>
      new Error(`fillMirror: cannot mirror ${coordinates(artifact)} from ${url}: ${reason}`);
    let response: Response;
    try {
      response = await fetch(url);
    } catch (error) {
      throw fail(
        error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : String(error),
      );
    }
    if (!response.ok || !response.body) throw fail(`HTTP ${response.status}`);
    await mkdir(dirname(target), { recursive: true });
    const part = `${target}.part`;
    const hash = createHash("sha256");
    let size = 0;
    try {
      await pipeline(
        Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
        new Transform({
          transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            size += chunk.length;
            done(null, chunk);
          },
        }),
        createWriteStream(part),
      );
      const digest = hash.digest("hex");
      if (digest !== artifact.sha256) {
        throw fail(
          `SHA-256 ${digest} (${size} bytes) does not match the pinned ${artifact.sha256} (${artifact.bytes} bytes)`,
        );
      }
      await rename(part, target);
    } finally {
      await rm(part, { force: true });
    }
    await writeFile(sha1File, `${artifact.sha1}\n`);
    fetched++;
    bytes += size;
    log(`mirrored ${coordinates(artifact)} (${(size / 1e6).toFixed(1)} MB)`);
  }
  log(
    `mirror ${dir}: ${fetched} fetched (${(bytes / 1e6).toFixed(1)} MB), ${kept} already verified`,
  );
  return { fetched, kept, bytes };
}
