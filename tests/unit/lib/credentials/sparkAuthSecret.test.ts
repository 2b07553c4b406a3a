// The standalone releases' Spark authentication secrets (lib/credentials/derivation.ts
// deriveSparkAuthSecret): per release, from the stack's Spark authentication key.
import { expect } from "chai";
import fc from "fast-check";
import { deriveSparkAuthSecret } from "../../../../lib/credentials/derivation";

const releaseName = fc.stringMatching(/^[a-z][a-z0-9-]{0,39}$/);
const key = fc.stringMatching(/^[0-9a-f]{64}$/);

describe("pure: Spark authentication secrets (lib/credentials/derivation.ts)", () => {
  it("are stable per key and release, 256 bits in base64url (no escaping in a properties file)", () => {
    const secret = deriveSparkAuthSecret("ab".repeat(32), "spark-35");
    expect(deriveSparkAuthSecret("ab".repeat(32), "spark-35")).to.equal(secret);
    expect(secret).to.match(/^[A-Za-z0-9_-]{43}$/);
  });

  it("no two releases share one, and a new key changes every release's", () => {
    fc.assert(
      fc.property(key, key, releaseName, releaseName, (k1, k2, r1, r2) => {
        const secret = deriveSparkAuthSecret(k1, r1);
        if (r1 !== r2) expect(deriveSparkAuthSecret(k1, r2)).not.to.equal(secret);
        if (k1 !== k2) expect(deriveSparkAuthSecret(k2, r1)).not.to.equal(secret);
        // The secret reveals neither the key nor the release.
        expect(secret).not.to.contain(k1.slice(0, 16));
      }),
      { numRuns: 200 },
    );
  });

  it("refuses an empty key rather than derive a guessable secret", () => {
    expect(() => deriveSparkAuthSecret("", "spark-35")).to.throw(/key is empty/);
  });
});
