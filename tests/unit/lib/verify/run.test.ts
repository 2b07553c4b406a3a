import { expect } from "chai";
import { failures, type CheckName } from "../../../../lib/verify/result";
import { verifyObjects } from "../../../../lib/verify/run";
import { editableManifests, objectsOf } from "../../../support/verifier";

/** Every check name, in the order the table prints them. */
const CHECKS: CheckName[] = [
  "service-isolation",
  "metastore-isolation",
  "secret-references",
  "secrets-as-files",
  "rpc-authentication",
  "connect-authentication",
  "claim-references",
  "history-isolation",
  "rbac-separation",
  "network-isolation",
  "client-access",
  "network-egress",
  "namespace-layout",
  "disruption-budgets",
];

describe("lib/verify/run: the coexistence verifier", () => {
  for (const stack of ["dev", "prod"] as const) {
    it(`passes every check on the rendered ${stack} stack, in table order`, async () => {
      const results = verifyObjects(objectsOf(await editableManifests(stack)));
      expect(failures(results).map((r) => `${r.check} ${r.subject}: ${r.detail}`)).to.deep.equal(
        [],
      );
      // Every check produced rows: a check that looks at nothing proves nothing. Rows of
      // one check stay together, checks in the documented order.
      const order = results.map((r) => r.check).filter((c, i, all) => all[i - 1] !== c);
      const expected = stack === "dev" ? CHECKS.filter((c) => c !== "disruption-budgets") : CHECKS;
      expect(order).to.deep.equal(expected);
    });
  }

  it("passes the layout it is given to the namespace check", async () => {
    const manifests = await editableManifests("prod");
    const shared = verifyObjects(objectsOf(manifests), { layout: "shared" });
    expect(failures(shared).map((r) => r.subject)).to.deep.equal([
      "release spark-35",
      "release spark-41",
    ]);
    expect(failures(verifyObjects(objectsOf(manifests), { layout: "perRelease" }))).to.deep.equal(
      [],
    );
  });
});
