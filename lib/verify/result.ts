/** The verifier's checks, as the table's first column names them. */
export type CheckName =
  | "service-isolation"
  | "metastore-isolation"
  | "secret-references"
  | "secrets-as-files"
  | "claim-references"
  | "history-isolation"
  | "rbac-separation"
  | "network-isolation"
  | "client-access"
  | "metrics-access"
  | "namespace-layout"
  | "disruption-budgets"
  | "network-egress"
  | "rpc-authentication"
  | "connect-authentication"
  | "notebook-access";

/** One row of the verifier's table. */
export interface CheckResult {
  readonly check: CheckName;
  readonly subject: string;
  readonly pass: boolean;
  readonly detail: string;
  /** A passing row the operator should still act on (e.g. an egress rule open to any address). */
  readonly warning?: string;
}

/** A row that passes with `ok` when there is no problem, and fails listing them otherwise. */
export const row = (
  check: CheckName,
  subject: string,
  problems: string[],
  ok: string,
): CheckResult => ({
  check,
  subject,
  pass: problems.length === 0,
  detail: problems.length === 0 ? ok : problems.join("; "),
});

/** A release name in a message, or what its absence means. */
export const releaseText = (release: string | undefined) => release ?? "<no release label>";

export function failures(results: readonly CheckResult[]): CheckResult[] {
  return results.filter((r) => !r.pass);
}
