// tools/launcher/pulumiClosures.cjs: the SDK loads without its closure serializer, which
// still serializes exactly as before when asked.
import { spawnSync } from "node:child_process";
import { expect } from "chai";
import { PROJECT_ROOT } from "../../../../tools/cli/stackFiles";

/** Runs `body` in a fresh node (the SDK is loaded in this one), returns its JSON output. */
function inFreshNode(body: string, env: NodeJS.ProcessEnv = {}): unknown {
  const result = spawnSync(process.execPath, ["-e", body], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NODE_OPTIONS: "", ...env },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout.trim().split("\n").pop()!);
}

const PROBE = `
const deferred = require("./tools/launcher/pulumiClosures.cjs").deferClosureSerialization(process.cwd());
const pulumi = require("@pulumi/pulumi");
const loaded = (part) => Object.keys(require.cache).some((f) => f.includes(part));
const atLoad = { typescript: loaded("/node_modules/typescript/"), arborist: loaded("/@npmcli/arborist/") };
const secret = 42;
pulumi.runtime.serializeFunction(() => ({ answer: secret, crypto: require("node:crypto").randomUUID })).then((f) =>
  console.log(JSON.stringify({ deferred, atLoad, text: f.text, typescript: loaded("/node_modules/typescript/") })));
`;

describe("tools/launcher/pulumiClosures.cjs", function () {
  this.timeout(120000);

  it("loads the SDK without TypeScript or Arborist, and serializes a closure as the SDK as shipped does", () => {
    const deferred = inFreshNode(PROBE) as {
      deferred: boolean;
      atLoad: Record<string, boolean>;
      text: string;
      typescript: boolean;
    };
    const shipped = inFreshNode(PROBE, {
      SPARK_PLATFORM_PULUMI_AS_SHIPPED: "1",
    }) as typeof deferred;
    expect(deferred.deferred).to.equal(true);
    expect(deferred.atLoad).to.deep.equal({ typescript: false, arborist: false });
    expect(deferred.typescript, "loaded once a closure is serialized").to.equal(true);
    expect(shipped.deferred).to.equal(false);
    expect(shipped.atLoad).to.deep.equal({ typescript: true, arborist: true });
    expect(deferred.text).to.contain("answer: secret");
    expect(deferred.text).to.equal(shipped.text);
  });

  it("does nothing once the SDK is loaded (as under Pulumi's language host)", () => {
    const body = `require("@pulumi/pulumi");
      console.log(JSON.stringify(require("./tools/launcher/pulumiClosures.cjs").deferClosureSerialization(process.cwd())));`;
    expect(inFreshNode(body)).to.equal(false);
  });
});
