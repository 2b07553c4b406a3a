// The engine treats pulumi-language-nodejs and pulumi-resource-pulumi-nodejs (dynamic
// providers) as bundled plugins: found next to the pulumi binary they are used silently,
// found elsewhere on PATH they are used with a warning on every run. So both are put next
// to the CLI.
import * as fs from "node:fs";
import * as path from "node:path";
import type { ToolchainLayout } from "./layout";
import { isExecutable } from "./printing";

/**
 * Runs the dynamic provider host of the @pulumi/pulumi that the program's directory
 * resolves (the engine starts it with the program's directory as working directory).
 */
export const DYNAMIC_PROVIDER_LAUNCHER = `#!/bin/sh
script="$(node -e "process.stdout.write(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))")" || exit 1
exec node "$script" "$@"
`;

/** Links the language host and writes the dynamic provider launcher next to the CLI. */
export function linkBundled(l: ToolchainLayout): void {
  if (!isExecutable(path.join(l.cliDir, "pulumi"))) return;
  const host = path.join(l.langhostDir, "pulumi-language-nodejs");
  if (isExecutable(host)) {
    const link = path.join(l.cliDir, "pulumi-language-nodejs");
    fs.rmSync(link, { force: true });
    fs.symlinkSync(host, link);
  }
  const launcher = path.join(l.cliDir, "pulumi-resource-pulumi-nodejs");
  fs.writeFileSync(`${launcher}.tmp`, DYNAMIC_PROVIDER_LAUNCHER);
  fs.chmodSync(`${launcher}.tmp`, 0o755);
  fs.renameSync(`${launcher}.tmp`, launcher);
  // No pulumi-analyzer-policy launcher: the 3.259 engine only falls back to one when it
  // finds no nodejs language host; with one it starts policy packs through the host's
  // RunPlugin (added at build time, see parts/nodejsHost.ts).
  fs.rmSync(path.join(l.cliDir, "pulumi-analyzer-policy"), { force: true });
}
