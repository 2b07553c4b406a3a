import { expect } from "chai";
import type { CheckResult } from "../../../../lib/verify/result";
import { formatTable, summary } from "../../../../lib/verify/table";

describe("lib/verify/table: the verifier's table and summary", () => {
  it("the table shows WARN and the summary lists warnings without failing the run", () => {
    const results: CheckResult[] = [
      {
        check: "network-egress",
        subject: "NetworkPolicy/spark/a",
        pass: true,
        detail: "egress to x",
        warning: "destination open: y",
      },
      {
        check: "network-egress",
        subject: "NetworkPolicy/spark/b",
        pass: true,
        detail: "egress to z",
      },
    ];
    const table = formatTable(results);
    expect(table).to.match(
      /\nnetwork-egress +NetworkPolicy\/spark\/a +WARN +destination open: y \(egress to x\)\n/,
    );
    expect(table).to.match(/\nnetwork-egress +NetworkPolicy\/spark\/b +pass +egress to z\n/);
    expect(summary(results)).to.equal(
      "WARNINGS (1): network-egress NetworkPolicy/spark/a\n2 passed, 0 failed",
    );
    expect(summary([results[1]!])).to.equal("1 passed, 0 failed");
  });
});
