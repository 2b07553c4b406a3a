import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { PROJECT_ROOT } from "../../../tools/cli/stackFiles";

/**
 * Evaluates the stacks named on its command line, one after another in one fresh process,
 * and prints which backend provider packages were loaded after each.
 */
const CHILD = `
const { evaluateProgram } = require("./tools/render/evaluate");
const { loadStackOrExit, PLACEHOLDER_SECRETS, stackFilePath } = require("./tools/cli/stackFiles");
const loaded = () => [...new Set(Object.keys(require.cache)
  .map((file) => /node_modules\\/@pulumi\\/(aws|minio|postgresql)\\//.exec(file)?.[1])
  .filter(Boolean))].sort();
(async () => {
  const result = {};
  for (const stack of process.argv.slice(1)) {
    await evaluateProgram(loadStackOrExit(stackFilePath(stack)).raw, PLACEHOLDER_SECRETS, stack);
    result[stack] = loaded();
  }
  console.log(JSON.stringify(result));
})();
`;

describe("provider packages load only for the configured backends", function () {
  this.timeout(180_000);

  it("local (dynamic, dynamic) loads none; dev (aws, postgresql) loads those two, not minio", () => {
    const child = spawnSync(process.execPath, ["-r", "tsx/cjs", "-e", CHILD, "local", "dev"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
    });
    expect(child.status, child.stderr).to.equal(0);
    expect(JSON.parse(child.stdout.trim().split("\n").pop()!)).to.deep.equal({
      local: [],
      dev: ["aws", "postgresql"],
    });
  });
});
