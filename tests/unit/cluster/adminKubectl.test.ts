import { expect } from "chai";
import { postedSince } from "../../../cluster/adminKubectl";

describe("cluster: readiness posted in this run", () => {
  it("counts a condition time at or after the start, in whole seconds", () => {
    const start = Date.parse("2026-12-07T04:58:52.700Z");
    expect(postedSince("2026-12-07T04:58:52Z", start)).to.equal(true);
    expect(postedSince("2026-12-07T04:59:00Z", start)).to.equal(true);
    expect(postedSince("2026-12-07T03:38:24Z", start)).to.equal(false);
    expect(postedSince(undefined, start)).to.equal(false);
    expect(postedSince("", start)).to.equal(false);
  });
});
