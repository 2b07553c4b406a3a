/**
 * A static file server on 127.0.0.1 for a Maven-layout mirror directory (what the local
 * cluster's mirror does): the jar measurements download from it, and derived-image builds
 * point their jar stage's MAVEN_REPOSITORY at it.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, normalize, sep } from "node:path";

export interface MirrorServer {
  /** `http://127.0.0.1:<port>`, the repository URL. */
  readonly url: string;
  close(): Promise<void>;
}

/** The file a request path names inside `dir`, or undefined when it would leave `dir`. */
export function mirrorFile(dir: string, requestUrl: string): string | undefined {
  const root = normalize(dir);
  const path = normalize(join(root, decodeURIComponent(requestUrl.split("?")[0]!)));
  return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`)
    ? path
    : undefined;
}

export async function serveMirror(dir: string): Promise<MirrorServer> {
  const server = createServer((req, res) => {
    const path = mirrorFile(dir, req.url ?? "/");
    if (!path || !existsSync(path) || !statSync(path).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-length": statSync(path).size });
    createReadStream(path, { highWaterMark: 1 << 20 }).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
