// Helpers of the live RBAC checks (rbac.ts, rbac.test.ts): kubectl as a ServiceAccount
// (impersonation), `auth can-i`, server-side dry runs and manifests piped to kubectl.
import { spawn } from "node:child_process";
import { serviceAccountUser } from "../../lib/kube/analysis/admission";
import { kubeEnv, kubectl, type CommandResult } from "./support";

/** `--as` of a ServiceAccount, as the API server names its requests. */
export const asAccount = (namespace: string, name: string): string =>
  `--as=${serviceAccountUser(namespace, name)}`;

/** `kubectl auth can-i <verb> <resource> -n <ns> --as=<account>`: true for "yes". */
export async function canI(
  as: string,
  verb: string,
  resource: string,
  namespace: string,
): Promise<boolean> {
  const result = await kubectl(["auth", "can-i", verb, resource, "-n", namespace, as], true);
  const answer = result.stdout.trim();
  if (answer !== "yes" && answer !== "no") {
    throw new Error(
      `kubectl auth can-i ${verb} ${resource} -n ${namespace} ${as}: ${result.stderr}`,
    );
  }
  return answer === "yes";
}

/** A kubectl command with `--dry-run=server`, never throwing: the caller reads the answer. */
export function dryRun(args: readonly string[], as?: string): Promise<CommandResult> {
  return kubectl([...args, "--dry-run=server", ...(as ? [as] : [])], true);
}

/** kubectl with a manifest (JSON or YAML) on stdin, e.g. `apply -f -`; never throwing. */
export async function kubectlWithInput(
  args: readonly string[],
  input: string,
): Promise<CommandResult> {
  const env = await kubeEnv();
  return new Promise((resolve) => {
    const child = spawn("kubectl", [...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** `kubectl create -f -` of objects (as JSON), as an account or as the cluster admin. */
export function createObjects(
  objects: readonly object[],
  options: { as?: string; dryRun?: boolean } = {},
): Promise<CommandResult> {
  return kubectlWithInput(
    [
      "create",
      "-f",
      "-",
      ...(options.dryRun ? ["--dry-run=server"] : []),
      ...(options.as ? [options.as] : []),
    ],
    JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }),
  );
}

/** Denied by admission (a ValidatingAdmissionPolicy), as opposed to by RBAC. */
export function deniedByPolicy(result: CommandResult, policy: string): boolean {
  return (
    result.code !== 0 &&
    result.stderr.includes(`ValidatingAdmissionPolicy '${policy}'`) &&
    result.stderr.includes("denied request")
  );
}

/** Refused by RBAC: "User ... cannot <verb> resource ...". */
export function deniedByRbac(result: CommandResult): boolean {
  return result.code !== 0 && /cannot \w+ resource/.test(result.stderr);
}

/** A one-line summary of a command result, for assertion messages. */
export const outcome = (result: CommandResult): string =>
  `exit ${result.code}: ${(result.stderr || result.stdout).trim().split("\n")[0] ?? ""}`;

/**
 * A pod that passes Pod Security restricted and never runs (it selects no node): a dry-run
 * create checks admission only, and a real one stays Pending without pulling anything.
 */
export function parkedPod(
  namespace: string,
  name: string,
  labels: Readonly<Record<string, string>>,
): object {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels },
    spec: {
      nodeSelector: { "spark-platform.io/no-such-node": "true" },
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 185,
        seccompProfile: { type: "RuntimeDefault" },
      },
      containers: [
        {
          name: "parked",
          image: "spark-platform/parked:none",
          imagePullPolicy: "Never",
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
          },
        },
      ],
    },
  };
}
