import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeManifest } from "../../../lib/kube/objects";
import { manifestsYaml } from "../../../tools/render/render";
import { runProcess, type ProcessRun } from "../../support/processes";
import { renderStack } from "../../support/stacks";

const ROOT = join(__dirname, "../../..");

/** `npx tsx scripts/verify.ts <args>` as a child process. */
function verifyScript(args: string[]): Promise<ProcessRun> {
  return runProcess("npx", ["tsx", "scripts/verify.ts", ...args], { cwd: ROOT });
}

/** A directory holding manifests.yaml exactly as `npm run render` writes it. */
function renderedDir(manifests: readonly KubeManifest[]): string {
  const dir = mkdtempSync(join(tmpdir(), "verify-"));
  writeFileSync(join(dir, "manifests.yaml"), manifestsYaml(manifests));
  return dir;
}

describe("scripts/verify.ts", function () {
  this.timeout(60000);
  const dirs: string[] = [];
  let clean: ProcessRun;
  let violating: ProcessRun;
  let usage: ProcessRun;

  before(async () => {
    const { manifests } = await renderStack("dev");
    const broken = structuredClone(manifests) as (KubeManifest & {
      spec?: { selector?: Record<string, string> };
    })[];
    broken.find(
      (m) => m.kind === "Service" && m.metadata?.name === "spark-35-master",
    )!.spec!.selector = { "app.kubernetes.io/name": "spark" };
    dirs.push(renderedDir(manifests), renderedDir(broken));
    // Three processes at once: each pays tsx's start-up, none needs another's result.
    [clean, violating, usage] = await Promise.all([
      verifyScript(["--manifests", dirs[0]!]),
      verifyScript(["--manifests", dirs[1]!]),
      verifyScript([]),
    ]);
  });

  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("exits 0 with a table of passing checks on the rendered dev stack", () => {
    expect(clean.status, clean.stderr).to.equal(0);
    expect(clean.stdout).to.match(/^CHECK +SUBJECT +RESULT +DETAIL\n/);
    expect(clean.stdout).to.match(
      /\nservice-isolation +Service\/spark\/spark-35-master +pass +selects only spark-35 pods/,
    );
    expect(clean.stdout).to.match(/\n\d+ passed, 0 failed\n$/);
  });

  it("exits 1 naming the offending Service when one selects by app label only", () => {
    expect(violating.status).to.equal(1);
    expect(violating.stdout).to.match(
      /\nservice-isolation +Service\/spark\/spark-35-master +FAIL +/,
    );
    expect(violating.stdout).to.match(
      /\n\d+ passed, 1 failed\nFAILED: service-isolation Service\/spark\/spark-35-master\n$/,
    );
  });

  it("exits 2 with usage when given neither manifests nor a context", () => {
    expect(usage.status).to.equal(2);
    expect(usage.stderr).to.include("usage: npm run verify");
  });
});
