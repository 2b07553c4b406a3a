// The port-forward attempt of team isolation: a stock pyspark-client 4.1.0 on this machine,
// through `kubectl port-forward` (which bypasses every NetworkPolicy: RBAC on
// pods/portforward is all that guards it), opens a session on spark-41. Without the token
// it must get UNAUTHENTICATED, over TLS to the Connect port and in plain text to the
// server's loopback port alike; with the token from the release's client Secret the same
// client through the same forward runs its query, so the refusal is the token's doing.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  pipInstallClientArgs,
  PYSPARK_CLIENT_REQUIREMENTS,
} from "../../cluster/images/pysparkClient";
import { cacheRoot } from "../../lib/cache/cacheRoot";
import { releaseNames, PORTS } from "../../lib/naming/names";
import { CONNECT_CLIENT_KEYS, GRPC_ROOTS_ENV } from "../../lib/spark/connectAuthentication";
import { captured } from "../../tools/kubectl/client";
import { CLIENT_PLACEMENT, getObject, type NamespaceOf } from "./clients";
import { UNAUTHENTICATED } from "./connectAuthenticationControl";
import { parseJobResult, errorLineOf } from "./jobs";
import { portForward } from "./support";

const JOB = join(__dirname, "jobs", "it_job.py");

/**
 * pyspark-client and its pinned dependencies (the Connect client image's list) for this
 * machine's python3, installed once under the cache root by the requirements' digest.
 */
export async function hostPysparkClient(): Promise<string> {
  const digest = createHash("sha256")
    .update(PYSPARK_CLIENT_REQUIREMENTS.join("\n"))
    .digest("hex")
    .slice(0, 16);
  const dir = join(cacheRoot(), "host-pyspark-client", digest);
  if (existsSync(join(dir, ".complete"))) return dir;
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const pip = await captured("python3", [...pipInstallClientArgs(partial), "--quiet"], {
    env: process.env,
  });
  if (pip.code !== 0) throw new Error(`pip install pyspark-client: ${pip.stderr.slice(-800)}`);
  writeFileSync(join(partial, ".complete"), "");
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return dir;
}

/** One session attempt's outcome, read from it_job.py's output. */
export interface HostAttempt {
  readonly name: string;
  readonly code: number;
  readonly ran: boolean;
  /** The line of its output naming the gRPC status, else its IT-ERROR line. */
  readonly errorLine?: string;
}

/** Why an attempt is not what it should be; empty when it is. */
export function attemptComplaints(attempt: HostAttempt, expect: "refused" | "runs"): string[] {
  if (expect === "runs") {
    return attempt.ran && attempt.code === 0
      ? []
      : [`${attempt.name}: expected to run, ended ${attempt.code}: ${attempt.errorLine ?? ""}`];
  }
  const complaints: string[] = [];
  if (attempt.ran) complaints.push(`${attempt.name}: the session ran its query`);
  if (!(attempt.errorLine ?? "").includes(UNAUTHENTICATED)) {
    complaints.push(
      `${attempt.name}: ended without ${UNAUTHENTICATED}: ${attempt.errorLine ?? ""}`,
    );
  }
  return complaints;
}

/** One Connect session (it_job.py `show`) from this machine with the host client. */
export async function hostSessionAttempt(
  name: string,
  site: string,
  env: Record<string, string>,
): Promise<HostAttempt> {
  const result = await captured("python3", [JOB], {
    env: {
      PATH: process.env["PATH"] ?? "/usr/bin:/bin",
      HOME: process.env["HOME"] ?? "/root",
      PYTHONPATH: site,
      PYTHONDONTWRITEBYTECODE: "1",
      IT_MODE: "connect",
      IT_ACTION: "show",
      ...env,
    },
  });
  const text = `${result.stdout}\n${result.stderr}`;
  // The status is a line of its own in gRPC's error text, after the IT-ERROR line.
  const errorLine =
    text
      .split("\n")
      .find((l) => l.includes("status = StatusCode."))
      ?.trim() ?? errorLineOf(text);
  return {
    name,
    code: result.code,
    ran: parseJobResult(text) !== undefined,
    ...(errorLine ? { errorLine } : {}),
  };
}

export interface PortForwardControl {
  readonly attempts: readonly HostAttempt[];
  readonly complaints: readonly string[];
}

/**
 * The client Secret of spark-41 that a granted client namespace holds, as files in `dir`:
 * the CA (public) and the token, mode 0600, never onto a command line. Also returns the
 * CA's text, to compare across a rotation.
 */
export async function clientSecretFiles(
  dir: string,
  suffix = "",
): Promise<{ caFile: string; tokenFile: string; ca: string }> {
  const secret = (await getObject(
    "secret",
    CLIENT_PLACEMENT.namespace,
    releaseNames("spark-41").connectClientSecret,
  )) as unknown as { data: Record<string, string> };
  const decode = (key: string) => Buffer.from(secret.data[key] ?? "", "base64");
  const caFile = join(dir, `ca${suffix}.crt`);
  const tokenFile = join(dir, `token${suffix}`);
  writeFileSync(caFile, decode(CONNECT_CLIENT_KEYS.caCert), { mode: 0o600 });
  writeFileSync(tokenFile, decode(CONNECT_CLIENT_KEYS.token), { mode: 0o600 });
  return { caFile, tokenFile, ca: decode(CONNECT_CLIENT_KEYS.caCert).toString("utf8") };
}

/** The three attempts on the live stack, each through its own port-forward. */
export async function portForwardControl(namespaceOf: NamespaceOf): Promise<PortForwardControl> {
  const site = await hostPysparkClient();
  const names = releaseNames("spark-41");
  const namespace = namespaceOf["spark-41"];
  const dir = mkdtempSync(join(tmpdir(), "it-port-forward-"));
  const { caFile, tokenFile } = await clientSecretFiles(dir);
  const tls = await portForward(namespace, `svc/${names.connect}`, PORTS.connectGrpc);
  const loopback = await portForward(
    namespace,
    `deploy/${names.connect}`,
    PORTS.connectGrpcLoopback,
  );
  try {
    const port = (url: string) => new URL(url).port;
    // The server's certificate names localhost (lib/credentials/connectCertificates.ts).
    const tlsUrl = `sc://localhost:${port(tls.url)}/;use_ssl=true`;
    const tlsEnv = { IT_CONNECT_URL: tlsUrl, [GRPC_ROOTS_ENV]: caFile };
    const attempts = [
      await hostSessionAttempt("port-forward to the Connect port, TLS, no token", site, {
        ...tlsEnv,
        IT_CONNECT_TOKEN: "none",
      }),
      await hostSessionAttempt(
        "port-forward to the server's loopback port, plain text, no token",
        site,
        {
          IT_CONNECT_URL: `sc://127.0.0.1:${port(loopback.url)}`,
          IT_CONNECT_TOKEN: "none",
        },
      ),
      await hostSessionAttempt("port-forward to the Connect port, TLS, the release's token", site, {
        ...tlsEnv,
        IT_CONNECT_TOKEN_FILE: tokenFile,
      }),
    ];
    return {
      attempts,
      complaints: [
        ...attemptComplaints(attempts[0]!, "refused"),
        ...attemptComplaints(attempts[1]!, "refused"),
        ...attemptComplaints(attempts[2]!, "runs"),
      ],
    };
  } finally {
    tls.stop();
    loopback.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
