// `node tools/launcher/run.cjs <file.ts> [args...]`: runs a project TypeScript file as the
// main module through register.cjs (what every `npm run <command>` does).
"use strict";
const Module = require("node:module");
const path = require("node:path");

require("./register.cjs");
const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error("usage: node tools/launcher/run.cjs <file.ts> [args...]");
  process.exit(2);
}
const main = path.resolve(script);
process.argv = [process.argv[0], main, ...args];
Module._load(main, null, true);
