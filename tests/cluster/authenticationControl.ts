// Negative control of the standalone release's RPC authentication: a spark-submit from a
// granted client pod (the client label, the granted namespace and ServiceAccount, so the
// NetworkPolicies and the admission policy let it through) that lacks the release's
// secret must not get an application registered with the master. The same pod with the
// platform's client Secret is the 3.5 job of jobChecks, which must succeed.
import { podLogs, type NamespaceOf } from "./clients";
import { prepareClientSide, releaseView, runJobPod, standaloneJobPod, withJobRun } from "./jobs";

/**
 * What a Spark 3.5 driver logs when its master refuses it (StandaloneAppClient and
 * StandaloneSchedulerBackend): each registration attempt fails (`attempt`), three attempts
 * 20 s apart, then it gives up (`giveUp`) and the application is killed. `connected` is
 * what it logs once registered. `refusal` is the master's answer to an unauthenticated
 * first message (AuthRpcHandler with spark.network.crypto.saslFallback=false), which the
 * driver logs with the failed attempt when the answer arrives before the master closes
 * the connection: reported, not required.
 */
export const REGISTRATION_TEXT = {
  attempt: "Failed to connect to master",
  giveUp: "All masters are unresponsive! Giving up.",
  connected: "Connected to Spark cluster with app ID",
  refusal: "Unknown challenge message",
} as const;

/** How a driver's attempt to register ended, read from its pod's phase and whole log. */
export interface RegistrationOutcome {
  /** Why this was not a refused registration; empty when it was one. */
  readonly unexpected: string[];
  /** The log lines that show the refusal, for the report. */
  readonly evidence: string[];
  /** Whether the master's authentication refusal itself reached the driver's log. */
  readonly refusalLogged: boolean;
}

export function registrationOutcome(phase: string, log: string): RegistrationOutcome {
  const lines = log.split("\n");
  const having = (text: string) => lines.filter((l) => l.includes(text));
  const unexpected: string[] = [];
  if (phase === "Succeeded") unexpected.push("the job without the secret succeeded");
  const connected = having(REGISTRATION_TEXT.connected);
  if (connected.length) {
    unexpected.push(`the driver registered with the master: ${connected[0]!.trim()}`);
  }
  for (const text of [REGISTRATION_TEXT.attempt, REGISTRATION_TEXT.giveUp]) {
    if (having(text).length === 0) unexpected.push(`the driver's log has no "${text}"`);
  }
  const evidence = [
    ...having(REGISTRATION_TEXT.attempt).slice(0, 1),
    ...having(REGISTRATION_TEXT.refusal).slice(0, 1),
    ...having(REGISTRATION_TEXT.giveUp).slice(0, 1),
  ].map((l) => l.trim());
  return { unexpected, evidence, refusalLogged: having(REGISTRATION_TEXT.refusal).length > 0 };
}

/**
 * Runs the control on the live stack: the 3.5 job pod of jobChecks, without the secret
 * (JobTarget.withoutSecret). Creates and deletes only its own `it-*` objects.
 */
export async function unauthenticatedSubmitControl(
  namespaceOf: NamespaceOf,
  log: (line: string) => void = () => {},
): Promise<RegistrationOutcome & { readonly broken: string; readonly seconds: number }> {
  return withJobRun(async ({ runId, scripts, placement }) => {
    const view = await releaseView("spark-35", namespaceOf["spark-35"]);
    const client = await prepareClientSide(view, runId);
    const { pod } = standaloneJobPod(view, client, runId, scripts, {
      name: "control-no-secret",
      withoutSecret: true,
    });
    // Three registration attempts 20 s apart, after the driver's start and the jars' fetch.
    const run = await runJobPod(pod, "spark-35", 600_000);
    log(`job without the secret: ${run.phase} in ${run.seconds}s`);
    const whole = await podLogs(run.namespace, run.pod);
    return {
      broken: `spark-35 job from ${placement.namespace} without the client Secret (no authentication, no encryption)`,
      seconds: run.seconds,
      ...registrationOutcome(run.phase, whole),
    };
  });
}
