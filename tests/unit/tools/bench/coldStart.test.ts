import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { PROJECT_ROOT, stackFilePath } from "../../../../tools/cli/stackFiles";
import {
  rawConfigFromRuntime,
  rawConfigFromStackFile,
  rawConfigFromStackYaml,
} from "../../../../lib/config/sources";
import {
  childCpuSeconds,
  median,
  npmScriptArgv,
  pulumiConfigEnv,
  stackFileYaml,
  timeProcess,
} from "../../../../tools/bench/coldStart";
import { generatedStack } from "../../../../tools/bench/generatedStack";

describe("tools/bench/coldStart.ts", () => {
  it("reads the children's user + system time from bash's times", () => {
    expect(childCpuSeconds("0m0.010s 0m0.002s\n1m2.500s 0m0.250s\n")).to.equal(62.75);
    expect(() => childCpuSeconds("nonsense")).to.throw(/times/);
  });

  it("times a fresh process: wall clock and CPU", () => {
    const timing = timeProcess(
      [process.execPath, "-e", "let x = 0; for (let i = 0; i < 3e7; i++) x += i;"],
      {
        cwd: PROJECT_ROOT,
      },
    );
    expect(timing.cpu).to.be.greaterThan(0);
    expect(timing.wall).to.be.greaterThan(0);
    expect(() => timeProcess(["false"], { cwd: PROJECT_ROOT })).to.throw(/exited with 1/);
  });

  it("runs package.json's commands as npm would, without npm", () => {
    const scripts = (
      JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(npmScriptArgv(scripts, "render")).to.deep.equal([
      "node",
      "tools/launcher/run.cjs",
      "scripts/render.ts",
    ]);
    expect(() => npmScriptArgv({ x: "a && b" }, "x")).to.throw(/not a plain command/);
    expect(() => npmScriptArgv({}, "x")).to.throw(/no script/);
  });

  it("writes a stack's config as a stack file and as the engine's environment, both read back the same", () => {
    for (const raw of [rawConfigFromStackFile(stackFilePath("dev")), generatedStack(3)]) {
      const fromFile = rawConfigFromStackYaml(stackFileYaml(raw));
      expect(fromFile.values).to.deep.equal(raw.values);
      expect([...fromFile.secretKeys].sort()).to.deep.equal([...raw.secretKeys].sort());
      const env = pulumiConfigEnv(raw);
      const secret = new Set(JSON.parse(env["PULUMI_CONFIG_SECRET_KEYS"]!) as string[]);
      const fromEnv = rawConfigFromRuntime(
        JSON.parse(env["PULUMI_CONFIG"]!) as Record<string, string>,
        (key) => secret.has(key),
      );
      expect(fromEnv.values).to.deep.equal(raw.values);
    }
  });

  it("takes medians", () => {
    expect(median([3, 1, 2])).to.equal(2);
    expect(median([4, 1, 2, 3])).to.equal(2.5);
    expect(() => median([])).to.throw();
  });
});
