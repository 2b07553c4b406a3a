/**
 * Command line of scripts/engine.ts:
 * `<command> --stack <name> [--policy-pack] [--exclude-protected] [--[no-]offline-backends]`.
 */

export const ENGINE_COMMANDS = ["preview", "up", "destroy", "refresh"] as const;
export type EngineCommand = (typeof ENGINE_COMMANDS)[number];

export interface EngineArgs {
  readonly command: EngineCommand;
  readonly stack: string;
  readonly policyPack: boolean;
  /**
   * destroy only: tear down everything but the `protect`ed resources (a prod-layout
   * stack's databases, roles, bucket and prefix markers), which stay in the stack's state.
   */
  readonly excludeProtected: boolean;
  /** undefined: decide from the toolchain (scripts/toolchain.sh --print-plugins). */
  readonly offlineBackends: boolean | undefined;
}

export const ENGINE_USAGE =
  "usage: npm run <preview|up|destroy|refresh> -- --stack <name> [--policy-pack] [--exclude-protected] [--offline-backends|--no-offline-backends]";

const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Parses argv (after the script name); returns an error message naming the bad argument. */
export function parseEngineArgs(argv: readonly string[]): EngineArgs | { error: string } {
  const [command, ...rest] = argv;
  if (!ENGINE_COMMANDS.includes(command as EngineCommand)) {
    return { error: `unknown command ${command ?? "(none)"}; ${ENGINE_USAGE}` };
  }
  let stack: string | undefined;
  let policyPack = false;
  let excludeProtected = false;
  let offlineBackends: boolean | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === "--stack" || arg === "-s") {
      stack = rest[++i];
      if (stack === undefined) return { error: `--stack needs a value; ${ENGINE_USAGE}` };
    } else if (arg.startsWith("--stack=")) {
      stack = arg.slice("--stack=".length);
    } else if (arg === "--policy-pack") {
      policyPack = true;
    } else if (arg === "--exclude-protected") {
      excludeProtected = true;
    } else if (arg === "--offline-backends") {
      offlineBackends = true;
    } else if (arg === "--no-offline-backends") {
      offlineBackends = false;
    } else {
      return { error: `unknown argument ${arg}; ${ENGINE_USAGE}` };
    }
  }
  if (!stack) return { error: `--stack is required; ${ENGINE_USAGE}` };
  if (!STACK_NAME.test(stack)) {
    return { error: `--stack ${stack}: must be letters, digits, '.', '_' or '-'` };
  }
  if (policyPack && command !== "preview" && command !== "up") {
    return { error: `--policy-pack applies to preview and up, not ${command}` };
  }
  if (excludeProtected && command !== "destroy") {
    return { error: `--exclude-protected applies to destroy, not ${command}` };
  }
  return {
    command: command as EngineCommand,
    stack,
    policyPack,
    excludeProtected,
    offlineBackends,
  };
}
