// Waiting: a plain sleep, and polling a check until it holds or time runs out.

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns whether it did. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  stepMs = 500,
): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) return false;
    await sleep(stepMs);
  }
}
