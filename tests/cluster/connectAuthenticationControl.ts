// Negative controls of the Connect release's token: a Spark Connect session from a granted
// client pod (the client label, the granted namespace and ServiceAccount, the release's CA
// mounted, TLS on) that sends no token, a random one, or the other release's real secret
// (spark-35's, which the platform keeps in the same namespace), must be refused by the
// server with UNAUTHENTICATED before any work runs. The same pod with the
// token from the platform's client Secret is the 4.1 job of jobChecks, which must succeed.
import { podLogs, type NamespaceOf } from "./clients";
import { connectJobPod, releaseView, runJobPod, withJobRun } from "./jobs";

/** The gRPC status the server's token check answers with (PreSharedKeyAuthenticationInterceptor). */
export const UNAUTHENTICATED = "UNAUTHENTICATED";

/** Why a session's end was not the server's refusal; empty when it was. */
export function refusalComplaints(variant: string, phase: string, log: string): string[] {
  const complaints: string[] = [];
  if (phase === "Succeeded") complaints.push(`the session with ${variant} succeeded`);
  if (!log.includes(UNAUTHENTICATED))
    complaints.push(`the session with ${variant} ended without ${UNAUTHENTICATED}`);
  if (log.includes("IT-RESULT")) complaints.push(`the session with ${variant} ran its job`);
  return complaints;
}

export interface ConnectRefusal {
  readonly variant:
    | "no token"
    | "a token that is not the release's"
    | "spark-35's secret as the token";
  readonly phase: string;
  readonly seconds: number;
  readonly complaints: string[];
  /** The first log line that names the refusal, for the report. */
  readonly evidence: string;
}

/** The sessions at once, each in its own pod; deletes only its own `it-*` objects. */
export async function unauthenticatedSessionControl(
  namespaceOf: NamespaceOf,
): Promise<ConnectRefusal[]> {
  return withJobRun(async ({ runId, scripts, placement }) => {
    const view = await releaseView("spark-41", namespaceOf["spark-41"]);
    const variants = [
      { variant: "no token", connectToken: "none" },
      { variant: "a token that is not the release's", connectToken: "wrong" },
      { variant: "spark-35's secret as the token", connectToken: "other" },
    ] as const;
    return Promise.all(
      variants.map(async ({ variant, connectToken }) => {
        const pod = connectJobPod(view, placement, runId, scripts, {
          action: "show",
          name: `control-token-${connectToken}`,
          connectToken,
        });
        const run = await runJobPod(pod, "spark-41", 300_000);
        const log = await podLogs(run.namespace, run.pod);
        return {
          variant,
          phase: run.phase,
          seconds: run.seconds,
          complaints: refusalComplaints(variant, run.phase, log),
          evidence:
            log
              .split("\n")
              .find((l) => l.includes(UNAUTHENTICATED))
              ?.trim() ?? "",
        };
      }),
    );
  });
}
