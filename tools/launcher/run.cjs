// `node tools/launcher/run.cjs <file.ts> [args...]`: what every `npm run <command>` runs.
// Loads preload.cjs (TypeScript, the SDK's closure serializer deferred), then runs the
// file as the main module.
"use strict";
const Module = require("node:module");
const path = require("node:path");

require("./preload.cjs");
const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error("usage: node tools/launcher/run.cjs <file.ts> [args...]");
  process.exit(2);
}
const main = path.resolve(script);
process.argv = [process.argv[0], main, ...args];
Module._load(main, null, true);
