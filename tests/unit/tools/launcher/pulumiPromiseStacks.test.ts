// Pulumi's per-promise debug stack traces are skipped unless its leak debugging is on.
import { expect } from "chai";
import { skipUnreadPromiseStacks } from "../../../../tools/launcher/pulumiPromiseStacks";

interface Debuggable {
  debuggablePromise: (p: Promise<unknown>, ctx: unknown) => Promise<unknown>;
}
type Traced = Promise<unknown> & { _debugStackTrace?: string; _debugCtx?: unknown };

describe("tools/launcher/pulumiPromiseStacks.ts", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as Debuggable;

  it("leaves Pulumi's traces alone when PULUMI_DEBUG_PROMISE_LEAKS asks for them, or the SDK runs as shipped", () => {
    expect(skipUnreadPromiseStacks({ PULUMI_DEBUG_PROMISE_LEAKS: "1" })).to.equal(false);
    expect(skipUnreadPromiseStacks({ SPARK_PLATFORM_PULUMI_AS_SHIPPED: "1" })).to.equal(false);
  });

  it("otherwise wraps debuggablePromise: same promise and context, no stack frames, limit restored", async () => {
    expect(skipUnreadPromiseStacks({})).to.equal(true);
    expect(skipUnreadPromiseStacks({}), "idempotent").to.equal(true);
    const limit = Error.stackTraceLimit;
    const promise: Traced = Promise.resolve(7);
    const returned = debuggable.debuggablePromise(promise, "ctx-of-test");
    expect(await returned).to.equal(7);
    expect(promise._debugCtx).to.equal("ctx-of-test");
    expect(promise._debugStackTrace).to.equal("Error");
    expect(Error.stackTraceLimit).to.equal(limit);
    expect(new Error("still traced").stack).to.contain("\n    at ");
  });
});
