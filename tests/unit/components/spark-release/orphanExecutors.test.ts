import { expect } from "chai";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { orphanExecutorCleanup } from "../../../../components/spark-release/orphanExecutors";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";

const config = parseValid(rawConfig(baseValues()));
const connect = config.releases.find((r) => r.mode === "connect")!;
const UID = "4f1c2a9e-0d3b-4c55-9a61-2b7e8f0c1d23";

const executor = (name: string, ownerUid: string) => ({
  metadata: { name, ownerReferences: [{ kind: "Pod", name: "server", uid: ownerUid }] },
});

/** A stand-in API server: lists `pods`, records every request. */
async function fakeApi(
  pods: unknown[],
  failList = false,
): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(
      `${req.method} ${decodeURIComponent(req.url ?? "")} ${req.headers.authorization}`,
    );
    if (failList) {
      res.writeHead(403).end("{}");
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(req.method === "GET" ? { items: pods } : {}));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, requests };
}

/** Runs the cleanup lines as the start-up script runs them (bash, set -eu). */
function runCleanup(url: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), "orphans-"));
  writeFileSync(join(dir, "token"), "the-token\n");
  const script = ["set -eu", ...orphanExecutorCleanup(connect, "POD_UID"), "echo started"].join(
    "\n",
  );
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", script], {
      env: {
        PATH: process.env["PATH"] ?? "",
        POD_UID: UID,
        KUBE_API_URL: url,
        KUBE_TOKEN_FILE: join(dir, "token"),
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("components/spark-release/orphanExecutors: a restarted server's leftover executors", () => {
  it("deletes exactly the release's executor pods this pod owns, then the server starts", async () => {
    const api = await fakeApi([
      executor("spark-41-aaaaaa-exec-1", UID),
      executor("spark-41-aaaaaa-exec-2", UID),
      executor("spark-41-bbbbbb-exec-1", "another-pod-uid"),
    ]);
    try {
      const r = await runCleanup(api.url);
      expect(r.code, r.stderr).to.equal(0);
      expect(api.requests).to.deep.equal([
        `GET /api/v1/namespaces/${connect.namespace}/pods?labelSelector=spark-role=executor,spark-platform.io/release=spark-41 Bearer the-token`,
        `DELETE /api/v1/namespaces/${connect.namespace}/pods/spark-41-aaaaaa-exec-1 Bearer the-token`,
        `DELETE /api/v1/namespaces/${connect.namespace}/pods/spark-41-aaaaaa-exec-2 Bearer the-token`,
      ]);
      expect(r.stdout).to.contain("deleted executor pod spark-41-aaaaaa-exec-1");
      expect(r.stdout.trimEnd().endsWith("started")).to.equal(true);
    } finally {
      api.server.close();
    }
  });

  it("deletes nothing on a first start", async () => {
    const api = await fakeApi([executor("spark-41-bbbbbb-exec-1", "another-pod-uid")]);
    try {
      const r = await runCleanup(api.url);
      expect(r.code).to.equal(0);
      expect(api.requests.filter((q) => q.startsWith("DELETE"))).to.deep.equal([]);
    } finally {
      api.server.close();
    }
  });

  it("a refused API call is reported and the server starts anyway", async () => {
    const api = await fakeApi([], true);
    try {
      const r = await runCleanup(api.url);
      expect(r.code).to.equal(0);
      expect(r.stderr).to.contain("could not delete executor pods of an earlier run");
      expect(r.stdout.trimEnd().endsWith("started")).to.equal(true);
    } finally {
      api.server.close();
    }
  });
});
