import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { PROJECT_ROOT, stackFilePath } from "../cli/stackFiles";
import { cacheRoot } from "../../lib/cache/cacheRoot";
import { CONFIG_NAMESPACE } from "../../lib/config/parse";
import { toolchainLayout } from "../toolchain/layout";
import { pathEntries, pluginLines } from "../toolchain/printing";
import {
  isLocalClusterStack,
  localClusterEnv,
  localClusterOverrides,
  type LocalClusterEnv,
} from "./localCluster";
import {
  availablePlugins,
  composeOverrides,
  consumerStackYaml,
  decideBackends,
  offlineOverrides,
  platformValues,
  projectYaml,
  requiredPlugins,
  workspaceStackYaml,
  type BackendDecision,
  type SecretKey,
} from "./stackFile";

/**
 * IO side of the real-engine harness, shared by scripts/engine.ts and the integration
 * suite: the toolchain's environment (scripts/pulumi-env.sh), the local backends
 * (scripts/postgres-local.sh, scripts/minio-local.sh) and per-stack workspaces under the
 * cache. Decisions live in stackFile.ts.
 */

const run = promisify(execFile);

export const PLATFORM_PROJECT = "spark-platform";
export const CONSUMER_PROJECT = "spark-platform-consumer";
export const CONSUMER_DIR = join(PROJECT_ROOT, "examples", "consumer");

export function workspaceDir(name: string): string {
  return join(cacheRoot(), "workspaces", name);
}

async function bash(script: string, args: readonly string[] = []): Promise<string> {
  const { stdout } = await run("bash", ["-c", script, "bash", ...args], {
    cwd: PROJECT_ROOT,
    maxBuffer: 16 * 1024 * 1024,
    env: process.env,
  });
  return stdout;
}

/** NUL-separated `env -0` output as a record. */
function parseEnv0(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of text.split("\0")) {
    const eq = entry.indexOf("=");
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

export interface Toolchain {
  /** Path of the pulumi CLI, or undefined when it has not been built. */
  readonly cli?: string;
  /** Provider plugins in the cache (`kubernetes`, ...). */
  readonly plugins: readonly string[];
  /** The MinIO server binary exists. */
  readonly minioServer: boolean;
}

/** What the toolchain (scripts/toolchain.sh, tools/toolchain/) has built; builds nothing. */
export async function toolchain(): Promise<Toolchain> {
  const layout = toolchainLayout();
  const path = pathEntries(layout).split(":");
  const plugins = availablePlugins(pluginLines(layout).join("\n"));
  const cli = path.map((dir) => join(dir, "pulumi")).find((file) => existsSync(file));
  const minioServer = path.some((dir) => existsSync(join(dir, "minio")));
  return { ...(cli ? { cli } : {}), plugins, minioServer };
}

/**
 * The environment scripts/pulumi-env.sh sets up (PATH with the CLI, PULUMI_HOME with the
 * provider plugins installed, file backend, passphrase). Transpile-only TypeScript: the
 * platform needs no ts-node (index.cjs), the example consumer does; `npm test` type-checks.
 */
export async function pulumiEnvironment(): Promise<Record<string, string>> {
  const env = parseEnv0(await bash(". scripts/pulumi-env.sh >&2 && env -0"));
  // The Automation API looks the CLI up on this process's PATH (`pulumi version`) before
  // it applies envVars to the commands it runs.
  if (env["PATH"]) process.env["PATH"] = env["PATH"];
  return { ...env, PULUMI_NODEJS_TRANSPILE_ONLY: "true", PULUMI_SKIP_UPDATE_CHECK: "true" };
}

export interface LocalBackendsInfo {
  readonly postgres: { host: string; port: number; password: string };
  readonly objectStore: { endpoint: string; accessKey: string; secretKey: string };
}

/** Starts (idempotently) the local PostgreSQL and MinIO and reads their credentials. */
export async function startLocalBackends(
  log: (line: string) => void = () => {},
): Promise<LocalBackendsInfo> {
  for (const script of ["scripts/postgres-local.sh", "scripts/minio-local.sh"]) {
    const { stderr } = await run("bash", [script, "start"], { cwd: PROJECT_ROOT });
    for (const line of stderr.trim().split("\n")) if (line) log(line);
  }
  // The scripts own where credentials live: ask them (`env` prints exports).
  const fields = (
    await bash(
      'eval "$(bash scripts/postgres-local.sh env)"; eval "$(bash scripts/minio-local.sh env)"; ' +
        'printf "%s\\0" "$PGHOST" "$PGPORT" "$PGPASSWORD" "$SPARK_PLATFORM_MINIO_ENDPOINT" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY"',
    )
  ).split("\0");
  const [host, port, password, endpoint, accessKey, secretKey] = fields;
  if (!host || !port || !password || !endpoint || !accessKey || !secretKey) {
    throw new Error(
      "local backends: postgres-local.sh / minio-local.sh env printed no credentials",
    );
  }
  return {
    postgres: { host, port: Number(port), password },
    objectStore: { endpoint, accessKey, secretKey },
  };
}

/** Sets a secret through stdin, so its value never appears in a process list. */
export async function setSecret(
  cwd: string,
  env: Record<string, string>,
  stack: string,
  key: string,
  value: string,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn("pulumi", ["config", "set", "--secret", "--stack", stack, key], {
      cwd,
      env,
      stdio: ["pipe", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`pulumi config set --secret ${key}: ${stderr}`)),
    );
    child.stdin.end(value);
  });
}

export interface PreparedStack {
  readonly stack: Stack;
  readonly stackName: string;
  readonly workspaceDir: string;
  /** Where the kubernetes provider renders manifests (offline runs). */
  readonly renderDir: string;
  readonly decision: BackendDecision;
  /** `spark-platform:*` values written to the workspace stack file (no secrets). */
  readonly values: Record<string, unknown>;
  readonly env: Record<string, string>;
  readonly backends?: LocalBackendsInfo;
  /** Set for local stacks: the local cluster they are applied to. */
  readonly cluster?: LocalClusterEnv;
}

export interface PrepareOptions {
  /** Stack in the backend (and workspace directory name). */
  readonly stackName: string;
  /** Committed stack whose Pulumi.<name>.yaml is the starting point (default: stackName). */
  readonly configFrom?: string;
  /** --offline-backends / --no-offline-backends; undefined decides from the toolchain. */
  readonly offlineBackends?: boolean;
  /** Further `spark-platform:*` values (e.g. a decommissioned release), applied last. */
  readonly overrides?: Readonly<Record<string, unknown>>;
  readonly log?: (line: string) => void;
}

/**
 * Writes `<cache>/workspaces/<stack>/` (Pulumi.yaml whose `main` is the repository,
 * relative; Pulumi.<stack>.yaml generated from the committed file), creates or selects
 * the stack in the file backend and sets its secrets. Rerunning regenerates both files.
 */
export async function preparePlatformStack(options: PrepareOptions): Promise<PreparedStack> {
  const log = options.log ?? (() => {});
  const committedFile = stackFilePath(options.configFrom ?? options.stackName);
  if (!existsSync(committedFile)) throw new Error(`${committedFile}: no such stack file`);
  const committed = readFileSync(committedFile, "utf8");
  const tools = await toolchain();
  if (!tools.cli) throw new Error("no pulumi CLI in the toolchain: run scripts/toolchain.sh");
  const decision = decideBackends(
    options.offlineBackends,
    requiredPlugins(platformValues(committed)),
    tools.plugins,
  );
  for (const note of decision.notes) log(note);
  if (decision.error) throw new Error(decision.error);

  const dir = workspaceDir(options.stackName);
  const renderDir = join(dir, "rendered");
  mkdirSync(dir, { recursive: true });
  // A local stack is applied to the local cluster, with its PostgreSQL and MinIO.
  const cluster = isLocalClusterStack(options.configFrom ?? options.stackName)
    ? await localClusterEnv()
    : undefined;
  if (cluster) log(`local cluster: kubeconfig ${cluster.kubeconfig}`);
  const backends = decision.offline && !cluster ? await startLocalBackends(log) : undefined;
  const overrides = composeOverrides(
    cluster ? localClusterOverrides(platformValues(committed), cluster) : undefined,
    backends
      ? offlineOverrides({
          postgresHost: backends.postgres.host,
          postgresPort: backends.postgres.port,
          objectStoreEndpoint: backends.objectStore.endpoint,
          renderDir,
        })
      : undefined,
    options.overrides,
  );
  const stackFile = join(dir, `Pulumi.${options.stackName}.yaml`);
  const text = workspaceStackYaml({
    committed,
    ...(existsSync(stackFile) ? { previous: readFileSync(stackFile, "utf8") } : {}),
    overrides,
    dropSecrets: decision.offline || cluster !== undefined,
  });
  writeFileSync(
    join(dir, "Pulumi.yaml"),
    projectYaml(
      PLATFORM_PROJECT,
      relative(dir, PROJECT_ROOT),
      `Workspace of ${PLATFORM_PROJECT} stack ${options.stackName} (generated by scripts/engine.ts)`,
      readFileSync(join(PROJECT_ROOT, "Pulumi.yaml"), "utf8"),
    ),
  );
  writeFileSync(stackFile, text);

  const env = await pulumiEnvironment();
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: options.stackName, workDir: dir },
    { envVars: env },
  );
  const credentials = cluster ?? backends;
  if (credentials) {
    const secrets: Record<SecretKey, string> = {
      postgresAdminPassword: credentials.postgres.password,
      objectStoreAccessKey: credentials.objectStore.accessKey,
      objectStoreSecretKey: credentials.objectStore.secretKey,
    };
    for (const [key, value] of Object.entries(secrets)) {
      await setSecret(dir, env, options.stackName, `${CONFIG_NAMESPACE}:${key}`, value);
    }
  }
  return {
    stack,
    stackName: options.stackName,
    workspaceDir: dir,
    renderDir,
    decision,
    values: platformValues(text),
    env,
    ...(backends ? { backends } : {}),
    ...(cluster ? { cluster } : {}),
  };
}

/**
 * The example consumer (examples/consumer) as its own project in the same file backend,
 * reading the platform stack `organization/spark-platform/<platformStack>`, its task pods
 * in `podNamespace` (a client namespace the platform stack grants).
 */
export async function prepareConsumerStack(
  platformStack: string,
  jobs: readonly string[],
  podNamespace = "airflow",
): Promise<{ stack: Stack; workspaceDir: string }> {
  const stackName = platformStack;
  const dir = workspaceDir(`${platformStack}.consumer`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "Pulumi.yaml"),
    projectYaml(
      CONSUMER_PROJECT,
      relative(dir, join(CONSUMER_DIR, "index.ts")),
      `Workspace of the example consumer of ${PLATFORM_PROJECT}/${platformStack}`,
      readFileSync(join(CONSUMER_DIR, "Pulumi.yaml"), "utf8"),
    ),
  );
  const stackFile = join(dir, `Pulumi.${stackName}.yaml`);
  const previous = existsSync(stackFile) ? readFileSync(stackFile, "utf8") : undefined;
  writeFileSync(
    stackFile,
    consumerStackYaml(
      CONSUMER_PROJECT,
      `organization/${PLATFORM_PROJECT}/${platformStack}`,
      jobs,
      podNamespace,
      previous,
    ),
  );
  const env = await pulumiEnvironment();
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName, workDir: dir },
    { envVars: env },
  );
  return { stack, workspaceDir: dir };
}
