// How the toolchain runs Go: in the part's wrapper directory, with Go's output going
// straight to the terminal (CI shows its downloads and errors as they happen), and its
// stdout captured only where the toolchain reads it (`-json` listings).
import { spawn, type StdioOptions } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import * as path from "node:path";

export interface GoOptions {
  /** The wrapper module's directory. */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

function spawnGo(args: readonly string[], o: GoOptions, stdio: StdioOptions) {
  const child = spawn("go", [...args], { cwd: o.cwd, env: o.env, stdio });
  let stdout = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  return new Promise<string>((resolve, reject) => {
    child.on("error", (e) => reject(new Error(`go ${args.join(" ")}: ${e.message}`)));
    child.on("close", (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`go ${args.join(" ")} exited ${code ?? signal}`));
    });
  });
}

/** Runs go with its output on the terminal; rejects unless it exits 0. */
export async function go(args: readonly string[], o: GoOptions): Promise<void> {
  await spawnGo(args, o, "inherit");
}

/** Runs go and resolves with its stdout (stderr on the terminal); rejects unless it exits 0. */
export function goOutput(args: readonly string[], o: GoOptions): Promise<string> {
  return spawnGo(args, o, ["inherit", "pipe", "inherit"]);
}

/** The module's directory in the module cache, from `go mod download -json` or `go list -m -json`. */
export function moduleDirOf(json: string): string | undefined {
  try {
    const dir = (JSON.parse(json) as { Dir?: unknown }).Dir;
    return typeof dir === "string" && dir ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The environment for a module the sum database reachable here does not know: its own
 * go.sum (from the module zip) vouches for it and for the dependencies that database lacks,
 * so `module` goes first in GONOSUMDB and go may update go.mod/go.sum (-mod=mod).
 */
export function ownSumsEnv(env: NodeJS.ProcessEnv, module: string): NodeJS.ProcessEnv {
  return {
    ...env,
    GONOSUMDB: env.GONOSUMDB ? `${module},${env.GONOSUMDB}` : module,
    GOFLAGS: env.GOFLAGS ? `${env.GOFLAGS} -mod=mod` : "-mod=mod",
  };
}

/** Is there an executable `go` on the PATH of `env` (the shell's `command -v go`)? */
export function goOnPath(env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? "").split(":").some((dir) => {
    const file = path.join(dir || ".", "go");
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  });
}
