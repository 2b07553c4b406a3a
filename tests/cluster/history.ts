// A History Server's application list read from the host through `kubectl port-forward`,
// as a user (or the runbook) reads it: GET /api/v1/applications.
import { PORTS, releaseNames } from "../../lib/naming/names";
import type { HistoryApp } from "./jobs";
import { portForward } from "./support";

export async function historyApplications(
  namespace: string,
  release: string,
): Promise<HistoryApp[]> {
  const forward = await portForward(
    namespace,
    `svc/${releaseNames(release).history}`,
    PORTS.historyUi,
  );
  try {
    const response = await fetch(`${forward.url}/api/v1/applications`, {
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`${release}-history: HTTP ${response.status}`);
    return (await response.json()) as HistoryApp[];
  } finally {
    forward.stop();
  }
}
