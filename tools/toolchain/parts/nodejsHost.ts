// The Node.js language host: the package that lived inside sdk/v3 up to v3.68.0 (the
// newest host the proxy serves), copied out of the module cache with RunPlugin added.
//
// RunPlugin is what the 3.259 engine uses to start Node.js policy packs (`pulumi preview
// --policy-pack`); the v3.68 host answers "not supported". runplugin_spark_platform.go
// replaces that stub: the engine's request carries the pack's directory and the plugin kind
// in fields this host's protobuf does not know (info=5, kind=6), read from the unknown
// fields; the pack runs as the newer hosts run it: `node <@pulumi/pulumi/cmd/run-policy-pack>
// <engine args...> <pack dir>` in the pack dir. Changing that file means bumping
// LANGHOST_PATCH (versions.ts) so caches rebuild.
import * as fs from "node:fs";
import * as path from "node:path";
import { go, goOutput, moduleDirOf } from "../goCommand";
import { log } from "../toolchainLog";
import { LANGHOST_SDK_VERSION } from "../versions";
import { copyWritable, installBinary, newWrapper } from "../wrapper";
import { cached, type ToolchainPart } from "./part";

const MODULE = "spark-platform/toolchain/pulumi-language-nodejs";
const GO_VERSION = "1.21";
const SDK = "github.com/pulumi/pulumi/sdk/v3";
const RUN_PLUGIN_FILE = "runplugin_spark_platform.go";
const STUB_START = /^func \(host \*nodeLanguageHost\) RunPlugin\(/;

/** The host's Go files to copy: neither tests nor Windows-only files. */
export function hostSources(names: readonly string[]): string[] {
  return names
    .filter((n) => n.endsWith(".go") && !n.startsWith("."))
    .filter((n) => !n.endsWith("_test.go") && !n.endsWith("_windows.go"))
    .sort();
}

/**
 * main.go without the RunPlugin stub: from its signature to the first line that closes a
 * block at column 0 (`sed '/^func (host \*nodeLanguageHost) RunPlugin(/,/^}/d'`).
 * Undefined when main.go has no such stub.
 */
export function withoutRunPluginStub(mainGo: string): string | undefined {
  const lines = mainGo.split("\n");
  if (!lines.some((line) => STUB_START.test(line))) return undefined;
  const kept: string[] = [];
  let inStub = false;
  for (const line of lines) {
    if (inStub) {
      if (/^}/.test(line)) inStub = false;
    } else if (STUB_START.test(line)) inStub = true;
    else kept.push(line);
  }
  return kept.join("\n");
}

export function hostBuildArgs(out: string): string[] {
  return [
    "build",
    "-ldflags",
    `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${LANGHOST_SDK_VERSION}`,
    "-o",
    out,
    ".",
  ];
}

export const nodejsHost: ToolchainPart = {
  name: "nodejs",
  async build({ layout, env }) {
    if (cached("nodejs", path.join(layout.langhostDir, "pulumi-language-nodejs"))) return true;
    const work = path.join(layout.workDir, `pulumi-language-nodejs-v${LANGHOST_SDK_VERSION}`);
    newWrapper(work, MODULE, GO_VERSION);
    const o = { cwd: work, env };
    await go(["get", `${SDK}@v${LANGHOST_SDK_VERSION}`], o);
    const sdkDir = moduleDirOf(await goOutput(["list", "-m", "-json", SDK], o));
    if (!sdkDir) throw new Error(`go list -m -json ${SDK} gave no directory`);
    const src = path.join(sdkDir, "nodejs", "cmd", "pulumi-language-nodejs");
    copyWritable(src, hostSources(fs.readdirSync(src)), work);
    const mainGo = path.join(work, "main.go");
    const patched = withoutRunPluginStub(fs.readFileSync(mainGo, "utf8"));
    if (patched === undefined) {
      log("nodejs: RunPlugin not found in the host's main.go");
      return false;
    }
    fs.writeFileSync(mainGo, patched);
    const runPlugin = fs.readFileSync(path.join(__dirname, RUN_PLUGIN_FILE), "utf8");
    fs.writeFileSync(path.join(work, RUN_PLUGIN_FILE), runPlugin);
    await go(["mod", "tidy"], o);
    await go(hostBuildArgs(path.join(work, "pulumi-language-nodejs")), o);
    installBinary(
      path.join(work, "pulumi-language-nodejs"),
      layout.langhostDir,
      "pulumi-language-nodejs",
    );
    return true;
  },
};
