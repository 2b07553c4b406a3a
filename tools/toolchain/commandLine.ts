// scripts/toolchain.sh's command line:
//   [all|cli|nodejs|kubernetes|postgresql|minio]...   build what is missing (default: all)
//   --print-path      PATH entries to add (colon-separated)
//   --print-plugins   "resource <name> <version> <binary>" lines of the plugins built
import * as fs from "node:fs";
import { goOnPath } from "./goCommand";
import { toolchainLayout } from "./layout";
import { pathEntries, pluginLines } from "./printing";
import { buildParts } from "./runParts";
import { log } from "./toolchainLog";

/** Runs the command line; resolves with the exit code. */
export async function toolchainCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const layout = toolchainLayout(env);
  if (args[0] === "--print-path") {
    process.stdout.write(`${pathEntries(layout)}\n`);
    return 0;
  }
  if (args[0] === "--print-plugins") {
    for (const line of pluginLines(layout)) process.stdout.write(`${line}\n`);
    return 0;
  }
  if (!goOnPath(env)) {
    log("go is not installed");
    return 1;
  }
  fs.mkdirSync(layout.workDir, { recursive: true });
  return buildParts(args, { layout, env });
}
