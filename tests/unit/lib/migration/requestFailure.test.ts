import { expect } from "chai";
import { requestFailure } from "../../../../lib/migration/requestFailure";

describe("requestFailure", () => {
  it("says how long a timed-out or aborted request waited", () => {
    const timeout = Object.assign(new Error("signal timed out"), { name: "TimeoutError" });
    const abort = Object.assign(new Error("aborted"), { name: "AbortError" });
    expect(requestFailure(timeout, 2500)).to.equal("no answer within 2500 ms");
    expect(requestFailure(abort, 10)).to.equal("no answer within 10 ms");
  });

  it("keeps any other error's own message", () => {
    expect(requestFailure(new Error("connect ECONNREFUSED 127.0.0.1:18080"), 10)).to.equal(
      "connect ECONNREFUSED 127.0.0.1:18080",
    );
  });
});
