// The client namespaces of a local stack, created the way a team would before the platform
// grants them: `npm run setup` and the live suites apply them before `pulumi up`.
import type { PlatformConfig } from "../../lib/config/model";
import { kubectlWithInput } from "../kubectl/client";

/**
 * Label of the client namespaces and accounts applied for the local stacks (by setup and the
 * live suite; they outlive runs).
 */
export const IT_CLIENTS_LABEL = "spark-platform.io/it-clients";

/**
 * The teams' side of the grants: every client namespace the stack lists but does not
 * create itself (createNamespace), Pod Security restricted, and in it every ServiceAccount
 * an entry lists. `npm run setup` and the live suite apply them before `pulumi up` of a local
 * stack, as the teams would have (the platform admits client namespaces; it does not own them).
 */
export function clientNamespaceObjects(config: PlatformConfig): Record<string, unknown>[] {
  const accounts = new Map<string, Set<string>>();
  for (const grant of config.releases.flatMap((r) => r.clients)) {
    if (grant.createNamespace) continue;
    const listed = accounts.get(grant.namespace) ?? new Set<string>();
    for (const account of grant.serviceAccounts ?? []) listed.add(account);
    accounts.set(grant.namespace, listed);
  }
  const labels = { [IT_CLIENTS_LABEL]: "true" };
  return [...accounts.entries()].flatMap(([namespace, names]) => [
    restrictedNamespace(namespace, labels),
    ...[...names].sort().map((name) => ({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name, namespace, labels },
      automountServiceAccountToken: false,
    })),
  ]);
}

/** A Namespace whose Pod Security is `restricted` in every mode, as a team would make one. */
export function restrictedNamespace(
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: {
        ...labels,
        ...Object.fromEntries(
          ["enforce", "warn", "audit"].map((mode) => [
            `pod-security.kubernetes.io/${mode}`,
            "restricted",
          ]),
        ),
      },
    },
  };
}

/**
 * Creates (or updates) the client namespaces and ServiceAccounts the stack's grants need
 * (clientNamespaceObjects); call before `pulumi up`. Kept afterwards, as a team's would be.
 */
export async function ensureClientNamespaces(config: PlatformConfig): Promise<void> {
  const objects = clientNamespaceObjects(config);
  if (objects.length === 0) return;
  const { code, stderr } = await kubectlWithInput(
    ["apply", "-f", "-"],
    JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }),
  );
  if (code !== 0) throw new Error(`kubectl apply of the client namespaces: ${stderr.trim()}`);
}
