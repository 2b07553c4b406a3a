// kubectl against the local cluster of `npm run cluster -- up`, for the tools and the
// live suite alike: the cluster's own kubectl (1.34) and kubeconfig, captured runs, and
// polling waits.
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { localClusterEnv, type LocalClusterEnv } from "../engine/localCluster";

const run = promisify(execFile);

let cached: Promise<LocalClusterEnv> | undefined;
/** The running local cluster's exports (kubeconfig, kubectl on PATH, backends). */
export function cluster(): Promise<LocalClusterEnv> {
  cached ??= localClusterEnv();
  return cached;
}

/** Environment in which `kubectl` is the cluster's own (1.34) and talks to it. */
export async function kubeEnv(): Promise<NodeJS.ProcessEnv> {
  const env = await cluster();
  return { ...process.env, PATH: env.path, KUBECONFIG: env.kubeconfig };
}

/** `kubectl <args>` with `input` on its stdin (`apply -f -`, `create -f -`); its exit code and stderr. */
export async function kubectlWithInput(
  args: readonly string[],
  input: string,
): Promise<{ code: number; stderr: string }> {
  const env = await kubeEnv();
  return new Promise((resolve) => {
    const child = spawn("kubectl", [...args], { env });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout.resume();
    child.on("close", (c) => resolve({ code: c ?? 1, stderr: err }));
    child.stdin.end(input);
  });
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end; a non-zero exit is a result, not an exception. */
export async function captured(
  file: string,
  args: readonly string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv },
): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await run(file, [...args], {
      ...options,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === "number" ? e.code : 1,
      stdout: e.stdout ?? "",
      stderr: e.stderr ?? String(error),
    };
  }
}

/** A shell command line, typed as a user would type it, against the local cluster. */
export async function shell(command: string): Promise<CommandResult> {
  return captured("bash", ["-o", "pipefail", "-c", command], { env: await kubeEnv() });
}

/** kubectl with arguments; throws with its stderr on failure unless allowed. */
export async function kubectl(
  args: readonly string[],
  allowFailure = false,
): Promise<CommandResult> {
  const result = await captured("kubectl", args, { env: await kubeEnv() });
  if (result.code !== 0 && !allowFailure) {
    throw new Error(`kubectl ${args.join(" ")}: ${result.stderr}`);
  }
  return result;
}

export interface KubeObject {
  readonly kind?: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
    readonly ownerReferences?: { kind: string; name: string }[];
  };
  readonly spec?: Record<string, unknown>;
  readonly status?: Record<string, unknown>;
}

export async function getItems(
  kind: string,
  namespace: string,
  selector?: string,
): Promise<KubeObject[]> {
  const args = ["get", kind, "-n", namespace, "-o", "json", ...(selector ? ["-l", selector] : [])];
  return (JSON.parse((await kubectl(args)).stdout) as { items: KubeObject[] }).items;
}

/** Polls until `check` returns undefined (done) or the deadline passes; returns the last complaint. */
export async function waitUntil(
  what: string,
  timeoutMs: number,
  check: () => Promise<string | undefined>,
  intervalMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let complaint: string | undefined = "not checked yet";
  while (Date.now() < deadline) {
    complaint = await check();
    if (complaint === undefined) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${what}: still not true after ${Math.round(timeoutMs / 1000)}s: ${complaint}`);
}
