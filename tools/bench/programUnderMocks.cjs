// The Pulumi program as the language host starts it, for cold-start runs of `npm run
// bench`: the host's run harness lives in @pulumi/pulumi, so the SDK loads first (before
// any of our code, hence without our compile cache), then index.cjs (Pulumi.yaml's
// `main`) under the render tool's mocks, with the stack's configuration in PULUMI_CONFIG /
// PULUMI_CONFIG_SECRET_KEYS as the engine passes it. Exits once every registration reached
// the monitor. Only the engine is missing. usage: node programUnderMocks.cjs <stack>
"use strict";
const path = require("node:path");
const pulumi = require("@pulumi/pulumi");
const root = path.resolve(__dirname, "..", "..");
require(path.join(root, "tools", "launcher", "register.cjs"));
const mocks = require(path.join(root, "tools", "render", "mocks.ts"));

(async () => {
  await pulumi.runtime.setMocks(
    mocks.renderMocks(mocks.RENDER_DIGEST_KEY),
    "spark-platform",
    process.argv[2] || "bench",
    false,
  );
  require(path.join(root, "index.cjs"));
  await mocks.waitForRegistrations();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
