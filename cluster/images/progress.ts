/**
 * Progress lines of the stand-in image builder. Every long step reports with elapsed
 * seconds, so a cold build (minutes) never looks hung.
 */

export type Log = (line: string) => void;

export function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** Runs `fn`, logging start, a heartbeat every `tickSeconds` and the elapsed time. */
export async function step<T>(log: Log, label: string, fn: () => Promise<T>, tickSeconds = 20) {
  const start = Date.now();
  log(`${label} ...`);
  const timer = setInterval(
    () => log(`${label}: still running (${seconds(start)})`),
    tickSeconds * 1000,
  );
  try {
    const result = await fn();
    log(`${label}: done in ${seconds(start)}`);
    return result;
  } finally {
    clearInterval(timer);
  }
}

export function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}
