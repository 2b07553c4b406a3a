import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { PROJECT_ROOT } from "../../../tools/cli/stackFiles";

/**
 * Evaluates the stacks named on its command line, one after another in one fresh process,
 * and prints which backend provider packages were loaded after each, and which package
 * indexes of @pulumi/aws (its own and its services') were loaded at the end.
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
  const awsIndexes = Object.keys(require.cache)
    .map((file) => /node_modules\\/@pulumi\\/aws\\/(?:([^/]+)\\/)?index\\.js$/.exec(file))
    .filter(Boolean)
    .map((match) => match[1] ?? ".");
  console.log(JSON.stringify({ loaded: result, awsIndexes }));
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
    const { loaded, awsIndexes } = JSON.parse(child.stdout.trim().split("\n").pop()!) as {
      loaded: Record<string, string[]>;
      awsIndexes: string[];
    };
    expect(loaded).to.deep.equal({ local: [], dev: ["aws", "postgresql"] });
    // The aws backend takes its three classes from their own modules: the package's index
    // would load the index of every AWS service (a fifth of a second of start-up).
    expect(awsIndexes).to.deep.equal([]);
  });
});
