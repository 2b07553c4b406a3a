// Defers the Pulumi SDK's closure serialization until something serializes a closure.
// @pulumi/pulumi/runtime/index.js loads closure/serializeClosure and closure/codePaths at
// once, and with them TypeScript's compiler (to parse function text) and npm's Arborist (to
// walk node_modules): a fifth of loading the SDK, used only to serialize a function (a
// dynamic provider through pulumi.dynamic.Resource, a lambda). Both modules get a stand-in
// in Node's module cache that loads the real module on first use; every caller sees the
// same exports. SPARK_PLATFORM_PULUMI_AS_SHIPPED=1 leaves the SDK as it ships (the
// benchmark's floor). Plain CommonJS: it must run before the SDK loads.
"use strict";
const Module = require("node:module");
const path = require("node:path");

/** Module, and the exports runtime/index.js reads from it while it loads. */
const DEFERRED = {
  "runtime/closure/serializeClosure.js": ["serializeFunctionAsync", "serializeFunction"],
  "runtime/closure/codePaths.js": ["computeCodePaths"],
};

function standIn(filename, eagerNames) {
  let real;
  const load = () => {
    if (!real) {
      const module = new Module(filename, null);
      module.filename = filename;
      module.paths = Module._nodeModulePaths(path.dirname(filename));
      module.load(filename);
      real = module.exports;
    }
    return real;
  };
  const exports = new Proxy(
    {},
    {
      get: (_, key) => (eagerNames.includes(key) ? (...args) => load()[key](...args) : load()[key]),
      has: (_, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Object.getOwnPropertyDescriptor(load(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
  const module = new Module(filename, null);
  module.filename = filename;
  module.exports = exports;
  module.loaded = true;
  return module;
}

/** Installs the stand-ins; false when the SDK is missing, loaded already, or left as shipped. */
function deferClosureSerialization(fromDir = process.cwd()) {
  if (process.env.SPARK_PLATFORM_PULUMI_AS_SHIPPED) return false;
  let sdk;
  try {
    sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [fromDir] }));
  } catch {
    return false;
  }
  const files = Object.keys(DEFERRED).map((file) => path.join(sdk, file));
  if (files.some((filename) => Module._cache[filename])) return false;
  for (const [file, eagerNames] of Object.entries(DEFERRED)) {
    const filename = path.join(sdk, file);
    Module._cache[filename] = standIn(filename, eagerNames);
  }
  return true;
}

module.exports = { deferClosureSerialization };
