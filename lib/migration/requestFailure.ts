/** Why an HTTP request to a History Server failed, in words: a timeout says how long it
 * waited, anything else keeps its own message. */
export function requestFailure(error: unknown, timeoutMs: number): string {
  const err = error as Error;
  return err.name === "TimeoutError" || err.name === "AbortError"
    ? `no answer within ${timeoutMs} ms`
    : err.message;
}
