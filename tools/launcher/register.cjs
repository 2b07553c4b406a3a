// Lets plain `node` load the project's TypeScript with no compiler on the start-up path.
// Each .ts file of the project is transpiled once, by TypeScript's own transpileModule
// with tsconfig.json's options (what ts-node emitted when Pulumi ran the program), and
// kept in node_modules/.cache/spark-platform/js under a key of its content: an edited
// file is transpiled again on its next load, an unchanged one is read back, and a fresh
// clone fills the cache on first use. Node's compile cache then keeps V8's bytecode of
// every module loaded after this one (ours and node_modules'), so a repeat start parses
// almost nothing. No type check here: `npm test` (tsc) is where types are checked.
//
// Stack traces name the .ts files with the emitted JavaScript's lines; for TypeScript
// lines run with NODE_OPTIONS=--enable-source-maps (the output carries inline maps).
// Always resolving them made every `new Error()` costly, and Pulumi makes one per promise.
//
// Plain CommonJS, so bare `node` runs it: index.cjs (what Pulumi runs) and run.cjs (what
// every `npm run <command>` runs) load it first.
"use strict";
const Module = require("node:module");
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
// SPARK_PLATFORM_LAUNCHER_CACHE moves the caches (tests start from an empty one).
const CACHE =
  process.env.SPARK_PLATFORM_LAUNCHER_CACHE ||
  path.join(ROOT, "node_modules", ".cache", "spark-platform");
const JS_CACHE = path.join(CACHE, "js");
const TSCONFIG = path.join(ROOT, "tsconfig.json");

const sha256 = (...parts) => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex");
};

let compilerIdentity;
/** Everything the emitted JavaScript depends on besides the source: options, compiler, this file. */
function identity() {
  compilerIdentity ??= sha256(
    fs.readFileSync(TSCONFIG),
    fs.readFileSync(__filename),
    require("typescript/package.json").version,
  );
  return compilerIdentity;
}

let transpiler;
/** TypeScript is loaded only when a file has to be transpiled: loading it is the slow part. */
function transpile(source, fileName) {
  if (!transpiler) {
    const ts = require("typescript");
    const config = ts.readConfigFile(TSCONFIG, ts.sys.readFile);
    if (config.error) {
      throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, "\n"));
    }
    const { options } = ts.convertCompilerOptionsFromJson(config.config.compilerOptions, ROOT);
    const compilerOptions = { ...options, sourceMap: false, inlineSourceMap: true };
    delete compilerOptions.outDir;
    transpiler = (text, name) =>
      ts.transpileModule(text, { compilerOptions, fileName: name }).outputText;
  }
  return transpiler(source, fileName);
}

/** The JavaScript of a project .ts file: from the cache, or transpiled into it. */
function javascriptOf(filename) {
  const source = fs.readFileSync(filename, "utf8");
  const header = `//${sha256(identity(), filename, source)}\n`;
  const cached = path.join(JS_CACHE, `${sha256(filename).slice(0, 32)}.js`);
  try {
    const text = fs.readFileSync(cached, "utf8");
    if (text.startsWith(header)) return text.slice(header.length);
  } catch {
    // Not cached yet.
  }
  const output = transpile(source, filename);
  try {
    fs.mkdirSync(JS_CACHE, { recursive: true });
    // Write, then rename: a concurrent reader sees the old entry or the new, never half.
    const partial = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(partial, header + output);
    fs.renameSync(partial, cached);
  } catch {
    // A read-only checkout still runs; it transpiles again next time.
  }
  return output;
}

const inProject = (filename) =>
  filename.startsWith(ROOT + path.sep) && !filename.includes(`${path.sep}node_modules${path.sep}`);

const previous = Module._extensions[".ts"];
if (!previous || !previous.sparkPlatform) {
  const loadTypeScript = (module, filename) => {
    if (previous && !inProject(filename)) return previous(module, filename);
    module._compile(javascriptOf(filename), filename);
  };
  loadTypeScript.sparkPlatform = true;
  Module._extensions[".ts"] = loadTypeScript;
  // Node 22.1+; older versions simply compile every start.
  if (Module.enableCompileCache) Module.enableCompileCache(path.join(CACHE, "v8"));
}
