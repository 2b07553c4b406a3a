import { expect } from "chai";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifactPath, type JarArtifact } from "../../../../lib/jars/catalog";
import { fillMirror } from "../../../../lib/jars/mirror";

const digest = (algorithm: string, text: string) =>
  createHash(algorithm).update(text).digest("hex");

function artifact(name: string, content: string): JarArtifact {
  return {
    group: "org.example.mirror",
    artifact: name,
    version: "2.0",
    bytes: Buffer.byteLength(content),
    sha1: digest("sha1", content),
    sha256: digest("sha256", content),
  };
}

describe("jars: fillMirror builds a verified Maven-layout directory", () => {
  const one = artifact("one", "first jar\n".repeat(5000));
  const two = artifact("two", "second jar\n");
  const bodies = new Map([
    [`/central/${artifactPath(one)}`, "first jar\n".repeat(5000)],
    [`/central/${artifactPath(two)}`, "second jar\n"],
  ]);
  let server: Server;
  let upstream: string;
  let dir: string;
  const requests: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? "");
      const body = bodies.get(req.url ?? "");
      if (body === undefined) res.writeHead(404).end();
      else res.writeHead(200).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    upstream = `http://127.0.0.1:${(server.address() as AddressInfo).port}/central/`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "jars-mirror-"));
    requests.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("downloads each artifact to its Maven path with a .sha1, and keeps verified files", async () => {
    const lines: string[] = [];
    const first = await fillMirror(dir, [one, two], upstream, (l) => lines.push(l));
    expect(first).to.deep.equal({ fetched: 2, kept: 0, bytes: one.bytes + two.bytes });
    const path = join(dir, artifactPath(one));
    expect(digest("sha256", readFileSync(path, "utf8"))).to.equal(one.sha256);
    expect(readFileSync(`${path}.sha1`, "utf8")).to.equal(`${one.sha1}\n`);
    expect(lines.at(-1)).to.match(/2 fetched .* 0 already verified$/);

    requests.length = 0;
    const second = await fillMirror(dir, [one, two], upstream);
    expect(second).to.deep.equal({ fetched: 0, kept: 2, bytes: 0 });
    expect(requests).to.deep.equal([]);
  });

  it("refuses bytes that do not match the pin, leaving nothing under the artifact's name", async () => {
    const pinnedOtherwise = { ...two, sha256: digest("sha256", "other") };
    let error: Error | undefined;
    await fillMirror(dir, [pinnedOtherwise], upstream).catch((e: Error) => (error = e));
    expect(error?.message).to.match(
      /^fillMirror: cannot mirror org\.example\.mirror:two:2\.0 from http:\/\/127\.0\.0\.1:\d+\/central\/org\/example\/mirror\/two\/2\.0\/two-2\.0\.jar: SHA-256 [0-9a-f]{64} \(11 bytes\) does not match the pinned/,
    );
    expect(existsSync(join(dir, artifactPath(two)))).to.equal(false);
    expect(existsSync(`${join(dir, artifactPath(two))}.part`)).to.equal(false);
  });

  it("names the artifact and the HTTP status when upstream lacks it", async () => {
    const absent = artifact("absent", "x");
    let error: Error | undefined;
    await fillMirror(dir, [absent], upstream).catch((e: Error) => (error = e));
    expect(error?.message).to.match(
      /cannot mirror org\.example\.mirror:absent:2\.0 from .*: HTTP 404$/,
    );
  });
});
