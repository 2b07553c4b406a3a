// The pulumi CLI: github.com/pulumi/pulumi/pkg/v3/cmd/pulumi at PULUMI_VERSION, built in a
// wrapper module that requires pkg/v3 and sdk/v3 at the same tag.
import * as fs from "node:fs";
import * as path from "node:path";
import { go } from "../goCommand";
import { PULUMI_VERSION } from "../versions";
import { installBinary, newWrapper, wrapperGoMod } from "../wrapper";
import { cached, type ToolchainPart } from "./part";

const MODULE = "spark-platform/toolchain/pulumi-cli";
const GO_VERSION = "1.25.11";
const PKG = "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi";

/**
 * Module-to-module replaces copied from pkg/go.mod at v3.259.0 (the sdk => ../sdk replace
 * is dropped: the wrapper requires sdk/v3 at the same tag instead).
 */
const REPLACES =
  "\nreplace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e\n";

/** The wrapper's go.mod: the empty wrapper with pkg/v3's own replaces. */
export function cliGoMod(): string {
  return wrapperGoMod(MODULE, GO_VERSION) + REPLACES;
}

export function cliGetArgs(): string[] {
  return ["get", `${PKG}@v${PULUMI_VERSION}`, `github.com/pulumi/pulumi/sdk/v3@v${PULUMI_VERSION}`];
}

/** `go build` of the CLI with the tags and version stamp of upstream's release build. */
export function cliBuildArgs(out: string): string[] {
  return [
    "build",
    "-tags",
    "osusergo,grpcnotrace",
    "-ldflags",
    `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${PULUMI_VERSION}`,
    "-o",
    out,
    PKG,
  ];
}

export const cli: ToolchainPart = {
  name: "cli",
  async build({ layout, env }) {
    if (cached("cli", path.join(layout.cliDir, "pulumi"))) return true;
    const work = path.join(layout.workDir, `pulumi-v${PULUMI_VERSION}`);
    newWrapper(work, MODULE, GO_VERSION);
    fs.writeFileSync(path.join(work, "go.mod"), cliGoMod());
    const o = { cwd: work, env };
    await go(cliGetArgs(), o);
    await go(cliBuildArgs(path.join(work, "pulumi")), o);
    installBinary(path.join(work, "pulumi"), layout.cliDir, "pulumi");
    return true;
  },
};
