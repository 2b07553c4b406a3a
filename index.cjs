// What Pulumi runs (Pulumi.yaml and package.json `main`): the program in index.ts, loaded
// through tools/launcher/register.cjs (cached transpilation, no type check) instead of the
// language host's ts-node, which type-checked the whole program at every preview and up
// (`npm test` checks the types), with the SDK's unread promise stack traces skipped
// (tools/launcher/pulumiPromiseStacks.ts). The language host has loaded the SDK already.
"use strict";
require("./tools/launcher/register.cjs");
require("@pulumi/pulumi");
require("./tools/launcher/pulumiPromiseStacks.ts").skipUnreadPromiseStacks();
module.exports = require("./index.ts");
