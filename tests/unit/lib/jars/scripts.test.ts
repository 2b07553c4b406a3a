import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifactPath, type JarArtifact } from "../../../../lib/jars/catalog";
import { checkScript, downloaderCommand, requirementsIn } from "../../../../lib/jars/scripts";
import { runProcess } from "../../../support/processes";

/**
 * The init containers' programs, run as rendered (python3 and bash of this machine)
 * against a Maven-layout HTTP server on loopback.
 */

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

function fakeArtifact(artifact: string, content: string): JarArtifact & { content: string } {
  return {
    group: "org.example.jars",
    artifact,
    version: "1.0",
    bytes: Buffer.byteLength(content),
    sha1: createHash("sha1").update(content).digest("hex"),
    sha256: sha256(content),
    content,
  };
}

const alpha = fakeArtifact("alpha", "alpha jar bytes\n".repeat(1000));
const beta = fakeArtifact("beta", "beta jar bytes\n");
const FIX = "point jars.repository at a mirror";

type Result = { status: number | null; stdout: string; stderr: string };

/** Runs a program synchronously (no server in this process needs to answer it). */
function run(command: string[]): Result {
  const result = spawnSync(command[0]!, command.slice(1), { encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a program while this process keeps serving HTTP. */
const runAsync = (command: string[]) => runProcess(command[0]!, command.slice(1));

const lines = (text: string) => text.split("\n").filter((l) => l.trim() !== "");

describe("jars: the downloader an init container runs (python3, real HTTP)", function () {
  this.timeout(60_000);
  let server: Server;
  let repository: string;
  const served = new Map<string, string>();
  const requests: string[] = [];

  before(async () => {
    for (const a of [alpha, beta]) served.set(`/maven2/${artifactPath(a)}`, a.content);
    server = createServer((req, res) => {
      requests.push(req.url ?? "");
      const body = served.get(req.url ?? "");
      if (body === undefined) {
        res.writeHead(404).end("not found");
        return;
      }
      res.writeHead(200, { "content-length": Buffer.byteLength(body) }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    repository = `http://127.0.0.1:${(server.address() as AddressInfo).port}/maven2`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "jars-dl-"));
    requests.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("fetches every jar, verifies it, prints one summary line; a second run fetches nothing", async () => {
    const first = await runAsync(downloaderCommand(repository, dir, [alpha, beta], FIX));
    expect(first.stderr).to.equal("");
    expect(first.status).to.equal(0);
    expect(lines(first.stdout)).to.have.length(1);
    expect(first.stdout).to.match(/^spark-platform: 2 jar\(s\) verified in .* \(2 fetched/);
    expect(readdirSync(dir).sort()).to.deep.equal(["alpha-1.0.jar", "beta-1.0.jar"]);
    expect(sha256(readFileSync(join(dir, "alpha-1.0.jar")))).to.equal(alpha.sha256);

    requests.length = 0;
    const again = await runAsync(downloaderCommand(repository, dir, [alpha, beta], FIX));
    expect(again.status).to.equal(0);
    expect(again.stdout).to.include("(0 fetched");
    expect(requests).to.deep.equal([]);
  });

  it("refuses bytes whose SHA-256 differs: one line naming the jar, the URL and the fix, no file left", async () => {
    const tampered = { ...alpha, sha256: sha256("something else") };
    const result = await runAsync(downloaderCommand(repository, dir, [tampered, beta], FIX));
    expect(result.status).to.equal(1);
    const errors = lines(result.stderr);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.include("spark-platform: cannot fetch alpha-1.0.jar from ");
    expect(errors[0]).to.include(`${repository}/${artifactPath(alpha)}`);
    expect(errors[0]).to.include("does not match the pinned");
    expect(errors[0]).to.match(/; fix: point jars\.repository at a mirror$/);
    expect(readdirSync(dir)).to.deep.equal(["beta-1.0.jar"]);
    // A mismatch is not retried: the same URL would serve the same bytes.
    expect(requests.filter((r) => r.includes("alpha"))).to.have.length(1);
  });

  it("a jar the repository lacks: one line with the HTTP status, not retried", async () => {
    const missing = fakeArtifact("gamma", "never served");
    const result = await runAsync(downloaderCommand(repository, dir, [missing, beta], FIX));
    expect(result.status).to.equal(1);
    const errors = lines(result.stderr);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.include("cannot fetch gamma-1.0.jar");
    expect(errors[0]).to.include("HTTP 404");
    expect(requests.filter((r) => r.includes("gamma"))).to.have.length(1);
  });

  it("an unreachable repository: one line per jar naming the cause", async () => {
    const result = await runAsync(downloaderCommand("http://127.0.0.1:9/maven2", dir, [beta], FIX));
    expect(result.status).to.equal(1);
    const errors = lines(result.stderr);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.match(
      /cannot fetch beta-1\.0\.jar from http:\/\/127\.0\.0\.1:9\/.*refused/i,
    );
  });
});

describe("jars: the image check an init container runs (bash)", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "jars-check-"));
    mkdirSync(join(root, "jars"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const check = (script: string) => run(["/bin/bash", "-c", script]);

  it("passes silently when every jar is there", () => {
    for (const name of ["alpha-1.0.jar", "beta-1.0.jar"])
      writeFileSync(join(root, "jars", name), "");
    const result = check(checkScript("img:1", requirementsIn(`${root}/jars`, [alpha, beta]), FIX));
    expect(result).to.deep.include({ status: 0, stdout: "", stderr: "" });
  });

  it("missing jars: exit 1 and ONE line naming each missing jar, the image and the fix", () => {
    writeFileSync(join(root, "jars", "beta-1.0.jar"), "");
    const result = check(
      checkScript("apache/spark:4.1.0", requirementsIn(`${root}/jars`, [alpha, beta]), FIX),
    );
    expect(result.status).to.equal(1);
    expect(lines(result.stderr)).to.deep.equal([
      `spark-platform: image apache/spark:4.1.0 lacks alpha-1.0.jar (looked in ${root}/jars); fix: ${FIX}`,
    ]);
  });

  it("a rival driver beside the required one is refused; a glob requirement takes any version", () => {
    writeFileSync(join(root, "jars", "postgresql-42.7.14.jar"), "");
    writeFileSync(join(root, "jars", "postgresql-9.4.1208.jre7.jar"), "");
    writeFileSync(join(root, "jars", "hadoop-aws-3.1.0.jar"), "");
    const requirements = [
      {
        path: `${root}/jars/postgresql-42.7.14.jar`,
        jar: "postgresql-42.7.14.jar",
        rivals: `${root}/jars/postgresql-*.jar`,
      },
      { path: `${root}/jars/hadoop-aws-*.jar`, jar: "hadoop-aws-*.jar" },
    ];
    const result = check(checkScript("apache/hive:3.1.3", requirements, FIX));
    expect(result.status).to.equal(1);
    const errors = lines(result.stderr);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.include(
      `holds a second PostgreSQL driver ${root}/jars/postgresql-9.4.1208.jre7.jar`,
    );
    expect(errors[0]).not.to.include("lacks");

    rmSync(join(root, "jars", "postgresql-9.4.1208.jre7.jar"));
    expect(check(checkScript("apache/hive:3.1.3", requirements, FIX)).status).to.equal(0);
    rmSync(join(root, "jars", "hadoop-aws-3.1.0.jar"));
    const noAws = check(checkScript("apache/hive:3.1.3", requirements, FIX));
    expect(lines(noAws.stderr)[0]).to.include("lacks hadoop-aws-*.jar");
  });
});
