import { spawnSync } from "node:child_process";
import { stringify as stringifyYaml } from "yaml";
import type { RawConfig } from "../../lib/config/model";
import { CONFIG_NAMESPACE } from "../../lib/config/parse";
import { SECRET_PLACEHOLDER } from "../../lib/config/sources";

/**
 * Cold starts for `npm run bench`: a fresh process per run, as a user starts a command,
 * timed by wall clock and by the CPU the process used (bash's `times` reports its
 * children's user and system time). CPU time is what to compare on a busy machine:
 * other processes stretch the wall clock, not it.
 */

/** One run: seconds of wall clock and of CPU (user + system). */
export interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

/** The children's user + system seconds from bash's `times` output (its second line). */
export function childCpuSeconds(timesOutput: string): number {
  const line = timesOutput.trim().split("\n")[1];
  const match = line && /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(line.trim());
  if (!match) throw new Error(`unexpected output of bash's times: ${JSON.stringify(timesOutput)}`);
  const [, userMin, userSec, sysMin, sysSec] = match.map(Number) as number[];
  return userMin! * 60 + userSec! + sysMin! * 60 + sysSec!;
}

/** Runs `argv` once in a fresh process (stdout discarded); throws with its stderr on failure. */
export function timeProcess(
  argv: readonly string[],
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv },
): Timing {
  const started = process.hrtime.bigint();
  const result = spawnSync(
    "bash",
    ["-c", '"$@" >/dev/null; status=$?; times; exit $status', "bash", ...argv],
    {
      cwd: options.cwd,
      env: options.env ?? process.env,
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${argv.join(" ")} exited with ${result.status}:\n${result.stderr}`);
  }
  return { wall, cpu: childCpuSeconds(result.stdout) };
}

/**
 * The command line `npm run <script>` runs, from package.json's scripts, as an argv (npm's
 * own start-up is left out: it is the same for every command and for none of the floor).
 */
export function npmScriptArgv(scripts: Readonly<Record<string, string>>, script: string): string[] {
  const line = scripts[script];
  if (!line) throw new Error(`package.json has no script ${script}`);
  if (/[|&;<>()$`"'\\]/.test(line))
    throw new Error(`script ${script} is not a plain command: ${line}`);
  return line.trim().split(/\s+/);
}

/** A stack file (`Pulumi.<stack>.yaml`) holding `raw`; secrets as `secure:` placeholders. */
export function stackFileYaml(raw: RawConfig): string {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw.values)) {
    config[`${CONFIG_NAMESPACE}:${key}`] = raw.secretKeys.has(key)
      ? { secure: "v1:bench-placeholder" }
      : value;
  }
  return stringifyYaml({ config });
}

/**
 * The environment the engine gives the program for `raw`: PULUMI_CONFIG (every value a
 * string, structured ones as JSON) and PULUMI_CONFIG_SECRET_KEYS. Secrets are placeholders.
 */
export function pulumiConfigEnv(raw: RawConfig): Record<string, string> {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw.values)) {
    config[`${CONFIG_NAMESPACE}:${key}`] = raw.secretKeys.has(key)
      ? SECRET_PLACEHOLDER
      : typeof value === "string"
        ? value
        : JSON.stringify(value);
  }
  return {
    PULUMI_CONFIG: JSON.stringify(config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(
      [...raw.secretKeys].map((key) => `${CONFIG_NAMESPACE}:${key}`),
    ),
  };
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
