// Shared helpers of the live suite (npm run test:cluster): kubectl against the local
// cluster of `npm run cluster -- up`, stack runs through the engine harness, and waits.
import { spawn } from "node:child_process";
import type { Stack } from "@pulumi/pulumi/automation";
import { Client as MinioClient } from "minio";
import { Client as PgClient } from "pg";
import { reconcileClusterVolumes } from "../../tools/engine/localCluster";
import { preparePlatformStack, type PreparedStack } from "../../tools/engine/workspace";

export const RUN = `lv${Date.now().toString(36)}`;

/**
 * Parts of the live suite a run leaves out, from SPARK_PLATFORM_LIVE_SKIP (comma-separated):
 * `benchmark` skips the version benchmark and its report, which CI leaves to the full
 * `npm run test:cluster` for time (docs/local-cluster.md); `job-kpis` skips the job-kpis
 * check against a running Connect server (jobKpisLive.ts, several minutes of filler work);
 * `faults` skips the fault suite's CI faults (the 3.5 master killed, the smoke test);
 * `plaintext` skips the packet-capture check of RPC encryption (plaintextCapture.ts);
 * `certificates` skips the replacement of spark-41's certificates (certificateRotation.ts).
 * Skipped tests show as pending.
 */
export function liveSkipped(
  part: "benchmark" | "job-kpis" | "faults" | "plaintext" | "certificates",
): boolean {
  return (process.env.SPARK_PLATFORM_LIVE_SKIP ?? "")
    .split(",")
    .map((p) => p.trim())
    .includes(part);
}
export const verbose = Boolean(process.env["SPARK_PLATFORM_IT_VERBOSE"]);
export const output = (text: string): void => {
  if (verbose) process.stdout.write(text);
};
export const note = (line: string): void => console.log(`      [live] ${line}`);

export {
  cluster,
  getItems,
  kubeEnv,
  kubectl,
  shell,
  waitUntil,
  type CommandResult,
  type KubeObject,
} from "../../tools/kubectl/client";
import { captured, cluster, kubeEnv, type CommandResult } from "../../tools/kubectl/client";

/** A stack of this run, configured from a committed local stack file. The cluster's volumes
 * are reconciled first: those an earlier stack's destroy left Released are Available again
 * for this stack's claims. */
export async function prepareLocal(
  configFrom: "local" | "local-prod",
  overrides?: Readonly<Record<string, unknown>>,
): Promise<PreparedStack> {
  const volumes = await reconcileClusterVolumes();
  if (verbose) note(volumes);
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
