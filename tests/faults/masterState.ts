// The standalone master's own view of its cluster, pure: its `/json` page (status, workers,
// applications) and the recovery lines of its log, and what a recovery from its FILESYSTEM
// state (the `<release>-master-recovery` claim) must show after the master pod was killed.

/** What the master's `/json` page says, reduced to what a recovery is judged by. */
export interface MasterState {
  /** ALIVE, RECOVERING, COMPLETING_RECOVERY or STANDBY. */
  readonly status: string;
  readonly workers: readonly { readonly id: string; readonly state: string }[];
  readonly activeApps: readonly { readonly id: string; readonly state: string }[];
  readonly completedApps: readonly string[];
}

interface MasterJson {
  status?: string;
  workers?: { id: string; state: string }[];
  activeapps?: { id: string; state: string }[];
  completedapps?: { id: string }[];
}

export function parseMasterState(json: string): MasterState {
  const page = JSON.parse(json) as MasterJson;
  return {
    status: page.status ?? "unknown",
    workers: (page.workers ?? []).map((w) => ({ id: w.id, state: w.state })),
    activeApps: (page.activeapps ?? []).map((a) => ({ id: a.id, state: a.state })),
    completedApps: (page.completedapps ?? []).map((a) => a.id),
  };
}

/** Worker ids the master has as ALIVE. */
export const aliveWorkers = (state: MasterState): string[] =>
  state.workers.filter((w) => w.state === "ALIVE").map((w) => w.id);

/**
 * After a master restart: the new master is ALIVE, and it knows, from its recovery state
 * alone, the application that was running (active, or completed if it ended since) and
 * the workers that were ALIVE before (same ids: they re-registered rather than joined as
 * new workers). Empty when the recovery holds.
 */
export function recoveryComplaints(
  before: MasterState,
  after: MasterState,
  appId: string,
): string[] {
  const out: string[] = [];
  if (after.status !== "ALIVE") out.push(`the new master is ${after.status}, not ALIVE`);
  const known = after.activeApps.some((a) => a.id === appId) || after.completedApps.includes(appId);
  if (!known)
    out.push(
      `the new master does not know application ${appId} (active: ${after.activeApps.map((a) => a.id).join(", ") || "none"})`,
    );
  const alive = new Set(aliveWorkers(after));
  const lost = aliveWorkers(before).filter((id) => !alive.has(id));
  if (lost.length) out.push(`workers not ALIVE again under their own ids: ${lost.join(", ")}`);
  return out;
}

/** The recovery as the master's log tells it (Spark's Master: leader election, the
 * application and workers re-registered from the persisted state, recovery complete). */
export interface RecoveryLog {
  readonly recovering: boolean;
  readonly appsReRegistered: readonly string[];
  readonly workersReRegistered: readonly string[];
  readonly complete: boolean;
}

export function recoveryLog(log: string): RecoveryLog {
  const matches = (re: RegExp) => [...log.matchAll(re)].map((m) => m[1]!);
  return {
    recovering: /elected leader! New state: RECOVERING/.test(log),
    appsReRegistered: matches(/Application has been re-registered: (\S+)/g),
    workersReRegistered: matches(/Worker has been re-registered: (\S+)/g),
    complete: /Recovery complete - resuming operations!/.test(log),
  };
}

/** The lines of a master's log that tell its recovery, for the report. */
export function recoveryLines(log: string): string[] {
  return log
    .split("\n")
    .filter((l) => /elected leader|re-registered|Recovery complete/.test(l))
    .map((l) => l.trim());
}
