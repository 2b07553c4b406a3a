// Shared helpers of the live suite (npm run test:cluster): kubectl against the local
// cluster of `npm run cluster -- up`, stack runs through the engine harness, and waits.
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import type { Stack } from "@pulumi/pulumi/automation";
import { Client as MinioClient } from "minio";
import { Client as PgClient } from "pg";
import { localClusterEnv, type LocalClusterEnv } from "../../tools/engine/localCluster";
import { preparePlatformStack, type PreparedStack } from "../../tools/engine/workspace";

const run = promisify(execFile);

export const RUN = `lv${Date.now().toString(36)}`;
export const verbose = Boolean(process.env["SPARK_PLATFORM_IT_VERBOSE"]);
export const output = (text: string): void => {
  if (verbose) process.stdout.write(text);
};
export const note = (line: string): void => console.log(`      [live] ${line}`);

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

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end; a non-zero exit is a result, not an exception. */
async function captured(
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

/** A stack of this run, configured from a committed local stack file. */
export async function prepareLocal(
  configFrom: "local" | "local-prod",
  overrides?: Readonly<Record<string, unknown>>,
): Promise<PreparedStack> {
  return preparePlatformStack({
    stackName: `${RUN}-${configFrom}`,
    configFrom,
    ...(overrides ? { overrides } : {}),
    log: verbose ? note : () => {},
  });
}

export async function up(stack: Stack): Promise<Record<string, number>> {
  const result = await stack.up({ onOutput: output });
  return (result.summary.resourceChanges ?? {}) as Record<string, number>;
}

/** What changed, less `same`. */
export function changed(summary: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(summary).filter(([op, n]) => op !== "same" && n > 0));
}

/** A PostgreSQL session on the cluster's server: the admin by default, or the given login. */
export async function withPg<T>(
  database: string,
  fn: (client: PgClient) => Promise<T>,
  login?: { user: string; password: string },
): Promise<T> {
  const { postgres } = await cluster();
  const client = new PgClient({
    host: postgres.host,
    port: postgres.port,
    user: login?.user ?? "postgres",
    password: login?.password ?? postgres.password,
    database,
    connectionTimeoutMillis: 10_000,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** An S3 client of the cluster's MinIO (its root keys). */
export async function minio(): Promise<MinioClient> {
  const { objectStore } = await cluster();
  const url = new URL(objectStore.endpoint);
  return new MinioClient({
    endPoint: url.hostname,
    port: Number(url.port || 80),
    useSSL: url.protocol === "https:",
    accessKey: objectStore.accessKey,
    secretKey: objectStore.secretKey,
    region: "us-east-1",
  });
}

/**
 * The pulumi CLI of the toolchain in a stack's workspace, as the runbook's commands run
 * (`pulumi config set --path ... --stack <name>`): they edit the workspace's stack file,
 * which the stack's next up reads.
 */
export async function pulumiCli(
  prepared: PreparedStack,
  args: readonly string[],
): Promise<CommandResult> {
  return captured("pulumi", [...args, "--stack", prepared.stackName], {
    cwd: prepared.workspaceDir,
    env: { ...process.env, ...prepared.env },
  });
}

/** `pulumi config set --path <key> <value>`; throws with the CLI's message on failure. */
export async function configSet(
  prepared: PreparedStack,
  key: string,
  value: string,
): Promise<void> {
  const result = await pulumiCli(prepared, ["config", "set", "--path", key, value]);
  if (result.code !== 0)
    throw new Error(`pulumi config set --path ${key} ${value}: ${result.stderr}`);
}

/** The workspace's stack file, which the npm commands read with `--file`. */
export function stackFileOf(prepared: PreparedStack): string {
  return `${prepared.workspaceDir}/Pulumi.${prepared.stackName}.yaml`;
}

/**
 * `kubectl port-forward` to a Service or pod on a free loopback port, for host-side
 * clients (bench-report) as the runbook runs them. Stopped by its own pid.
 */
export async function portForward(
  namespace: string,
  target: string,
  remotePort: number,
): Promise<{ url: string; stop: () => void }> {
  const child = spawn("kubectl", ["port-forward", "-n", namespace, target, `:${remotePort}`], {
    env: await kubeEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`port-forward ${target}: ${seen}`)), 30_000);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /127\.0\.0\.1:(\d+) ->/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`port-forward ${target} exited ${code}: ${seen}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}
