// tools/launcher: plain `node` runs the project's TypeScript (npm run <command>, and
// index.cjs for `pulumi up`), transpiling on first use and again after an edit.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { parse as parseYaml } from "yaml";
import { PROJECT_ROOT, stackFilePath } from "../../../../tools/cli/stackFiles";
import { rawConfigFromStackFile } from "../../../../lib/config/sources";
import { pulumiConfigEnv } from "../../../../tools/bench/coldStart";

const LAUNCHER = join(PROJECT_ROOT, "tools", "launcher", "run.cjs");

function node(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NODE_OPTIONS: "", ...env },
    encoding: "utf8",
  });
}

describe("tools/launcher: plain node runs the project's TypeScript", function () {
  this.timeout(120000);
  let scratch: string;
  let cache: string;
  before(() => {
    // Inside the project (only its files are transpiled), in the ignored out/ folder.
    mkdirSync(join(PROJECT_ROOT, "out"), { recursive: true });
    scratch = mkdtempSync(join(PROJECT_ROOT, "out", "launcher-test-"));
    cache = mkdtempSync(join(tmpdir(), "launcher-cache-"));
  });
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  it("runs a script as the main module with its arguments, from an empty cache, then from the cache", () => {
    const script = join(scratch, "main.ts");
    writeFileSync(
      script,
      "const answer: number = 42;\nconsole.log(JSON.stringify({ main: require.main === module, args: process.argv.slice(2), answer }));\n",
    );
    for (const run of ["cold", "warm"]) {
      const result = node([LAUNCHER, script, "--stack", "dev"], {
        SPARK_PLATFORM_LAUNCHER_CACHE: cache,
      });
      expect(result.status, `${run}: ${result.stderr}`).to.equal(0);
      expect(JSON.parse(result.stdout)).to.deep.equal({
        main: true,
        args: ["--stack", "dev"],
        answer: 42,
      });
    }
    expect(readdirSync(join(cache, "js"))).to.have.length(1);
  });

  it("transpiles an edited file again (the cache is keyed by content, not by time)", () => {
    const script = join(scratch, "edited.ts");
    for (const value of ["first", "second"]) {
      writeFileSync(script, `const value: string = "${value}";\nconsole.log(value);\n`);
      const result = node([LAUNCHER, script], { SPARK_PLATFORM_LAUNCHER_CACHE: cache });
      expect(result.stdout.trim(), result.stderr).to.equal(value);
    }
  });

  it("index.cjs, what Pulumi runs, exports the program's outputs under mocks without ts-node", () => {
    const project = parseYaml(readFileSync(join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as {
      main: string;
      runtime: { options: { typescript: boolean } };
    };
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as {
      main: string;
    };
    expect(project.main).to.equal("index.cjs");
    expect(pkg.main).to.equal(project.main);
    expect(project.runtime.options.typescript).to.equal(false);
    const probe = [
      'require("./tools/launcher/register.cjs");',
      'const pulumi = require("@pulumi/pulumi");',
      'const { renderMocks, RENDER_DIGEST_KEY, waitForRegistrations } = require("./tools/render/mocks.ts");',
      '(async () => { await pulumi.runtime.setMocks(renderMocks(RENDER_DIGEST_KEY), "spark-platform", "dev", false);',
      'const program = require("./index.cjs"); await waitForRegistrations();',
      "console.log(JSON.stringify(Object.keys(program).sort())); })();",
    ].join("\n");
    const result = node(
      ["-e", probe],
      pulumiConfigEnv(rawConfigFromStackFile(stackFilePath("dev"))),
    );
    expect(result.status, result.stderr).to.equal(0);
    expect(JSON.parse(result.stdout)).to.deep.equal([
      "jobRouting",
      "metastoreCredentials",
      "namespaces",
      // undefined on dev (no notebook): Pulumi records no output for it.
      "notebooks",
      "objectStore",
      "releases",
    ]);
    expect(result.stderr).not.to.match(/ts-node|TSError/);
  });
});
