// Fault 1: the 3.5 master pod killed during a spark-submit job. The new master recovers
// from its FILESYSTEM state on the recovery claim: it knows the running application and
// the same workers, and its log tells the recovery. Run by the fault suite and, on the
// live suite's `local` stack, by CI (tests/cluster/platform.test.ts).
import { waitUntil } from "../cluster/support";
import type { FaultSpec } from "./faultCase";
import { killPod, masterState, podLog, readyPod } from "./faultChecks";
import { recoveryComplaints, recoveryLines, recoveryLog, type MasterState } from "./masterState";

const describeState = (state: MasterState | undefined): string =>
  `master ${state?.status}, workers ${state?.workers.map((w) => `${w.id} ${w.state}`).join(", ")}, apps ${[
    ...(state?.activeApps ?? []).map((a) => `${a.id} ${a.state}`),
    ...(state?.completedApps ?? []).map((id) => `${id} completed`),
  ].join(", ")}`;

/** The fault on the spark-35 master in namespace `ns`. */
export function masterKillFault(ns: string): FaultSpec {
  let before: MasterState | undefined;
  let killed = "";
  return {
    fault: "3.5 master killed",
    release: "spark-35",
    job: "master",
    jobMust: "complete",
    before: async () => {
      killed = (await readyPod(ns, "spark-35", "master")).metadata.name;
      before = await masterState(ns, killed);
    },
    inject: async () => {
      await killPod(ns, killed);
      return [killed];
    },
    afterwards: async (injectedAt) => {
      const appId = before?.activeApps[0]?.id ?? "";
      const complaints: string[] = [];
      const facts = [`before: ${describeState(before)}`];
      if (!appId) complaints.push("no running application on the master before the kill");
      const master = (await readyPod(ns, "spark-35", "master")).metadata.name;
      let after: MasterState | undefined;
      let left: string[] = [];
      await waitUntil(
        "the new master recovered",
        180_000,
        async () => {
          after = await masterState(ns, master).catch(() => undefined);
          left = after ? recoveryComplaints(before!, after, appId) : ["no /json yet"];
          return left.length ? left.join("; ") : undefined;
        },
        2000,
      ).catch(() => complaints.push(...left));
      facts.push(`after (${master}): ${describeState(after)}`);
      const log = await podLog(ns, master);
      const told = recoveryLog(log);
      facts.push(...recoveryLines(log).map((l) => `master log: ${l}`));
      if (!told.recovering) complaints.push("the new master's log shows no RECOVERING state");
      if (!told.appsReRegistered.includes(appId))
        complaints.push(`the new master's log does not re-register ${appId}`);
      if (told.workersReRegistered.length === 0)
        complaints.push("the new master's log re-registers no worker");
      if (!told.complete) complaints.push("the new master's log shows no completed recovery");
      facts.push(
        `master recovered (${master}) within ${((Date.now() - injectedAt) / 1000).toFixed(0)} s of the kill`,
      );
      return { complaints, facts };
    },
  };
}
