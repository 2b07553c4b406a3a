/**
 * Pulumi's runtime wraps every promise it makes (a few dozen per resource: one per output
 * property and step) in `debuggablePromise`, which formats a JavaScript stack trace onto
 * it at once. The trace is read only to explain leaked promises, and printed only when
 * PULUMI_DEBUG_PROMISE_LEAKS is set; without it, formatting them was about a fifth of the
 * time it takes to evaluate the program. This skips the trace unless that variable is set:
 * Pulumi's leak messages and everything else stay as they are.
 *
 * `@pulumi/pulumi/runtime/debuggable` is internal to the SDK. Its callers look the function
 * up on the module at each call, so wrapping the export reaches them; were it gone, this
 * would change nothing. SPARK_PLATFORM_PULUMI_AS_SHIPPED=1 leaves the SDK as it ships (the
 * benchmark's floor).
 */

interface DebuggableModule {
  debuggablePromise?: ((...args: unknown[]) => unknown) & { withoutStackTrace?: true };
}

/** Idempotent; call once the SDK is loaded, before the program registers its first resource. */
export function skipUnreadPromiseStacks(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env["PULUMI_DEBUG_PROMISE_LEAKS"] || env["SPARK_PLATFORM_PULUMI_AS_SHIPPED"]) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as DebuggableModule;
  const original = debuggable.debuggablePromise;
  if (typeof original !== "function") return false;
  if (original.withoutStackTrace) return true;
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return original.apply(this, args);
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
  debuggable.debuggablePromise = Object.assign(wrapped, { withoutStackTrace: true as const });
  return true;
}
