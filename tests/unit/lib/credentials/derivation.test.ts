// Derived credentials: metastore role passwords, and the credential digests a pod template
// carries (keyed, stable, and worthless to anyone without the platform's digest key).
import { createHash, randomBytes } from "node:crypto";
import { expect } from "chai";
import fc from "fast-check";
import {
  combinedDigest,
  deriveMetastorePassword,
  DIGEST_KEY_BYTES,
  secretDataDigest,
} from "../../../../lib/credentials/derivation";

const KEY = "a1".repeat(DIGEST_KEY_BYTES);
const OTHER_KEY = "b2".repeat(DIGEST_KEY_BYTES);
const SALT = "spark-41/spark/spark-41-metastore-db";

const hexKey = fc
  .uint8Array({ minLength: DIGEST_KEY_BYTES, maxLength: DIGEST_KEY_BYTES })
  .map((bytes) => Buffer.from(bytes).toString("hex"));

describe("pure: credential digests (lib/credentials/derivation.ts)", () => {
  it("are stable for the same key, Secret and data, whatever the order of the data's keys", () => {
    const digest = secretDataDigest(KEY, SALT, { username: "u", password: "pw1" });
    expect(secretDataDigest(KEY, SALT, { password: "pw1", username: "u" })).to.equal(digest);
    expect(digest).to.match(/^[0-9a-f]{64}$/);
  });

  it("differ by key, by Secret (salt) and by data", () => {
    fc.assert(
      fc.property(hexKey, hexKey, fc.string(), fc.string(), (key, other, password, changed) => {
        const digest = secretDataDigest(key, SALT, { password });
        if (key !== other) expect(secretDataDigest(other, SALT, { password })).not.to.equal(digest);
        if (changed !== password) {
          expect(secretDataDigest(key, SALT, { password: changed })).not.to.equal(digest);
        }
        expect(
          secretDataDigest(key, "spark-35/spark/spark-35-metastore-db", { password }),
        ).not.to.equal(digest);
      }),
      { numRuns: 200 },
    );
  });

  it("reveal nothing of a password: no substring, no plain hash, no candidate test without the key", () => {
    const password = "pw1-short-and-guessable";
    const role = deriveMetastorePassword(password, "spark-41", "metastore_spark41");
    const digest = secretDataDigest(KEY, SALT, { password: role });
    for (const leak of [password, role, role.slice(0, 8), KEY, KEY.slice(0, 16)]) {
      expect(digest).not.to.contain(leak);
    }
    // A guesser who reads the annotation and holds the right candidate still cannot confirm
    // it: every way of hashing it without the key gives something else.
    const canonical = JSON.stringify([["password", role]]);
    const unkeyed = [
      createHash("sha256").update(canonical).digest("hex"),
      createHash("sha256").update(`spark-platform/credentials/${SALT}\0${canonical}`).digest("hex"),
      secretDataDigest("00".repeat(DIGEST_KEY_BYTES), SALT, { password: role }),
      secretDataDigest(OTHER_KEY, SALT, { password: role }),
    ];
    expect(unkeyed).not.to.include(digest);
  });

  it("refuse a key that is not 32 bytes of hex (an empty or short key would protect nothing)", () => {
    for (const bad of ["", "abcd", "zz".repeat(DIGEST_KEY_BYTES), KEY.slice(2)]) {
      expect(() => secretDataDigest(bad, SALT, { password: "pw" }), bad).to.throw(/32 bytes/);
    }
    expect(() =>
      secretDataDigest(randomBytes(DIGEST_KEY_BYTES).toString("hex"), SALT, { p: "x" }),
    ).not.to.throw();
  });

  it("combine per Secret name, so which Secrets a pod reads is part of its annotation", () => {
    const db = secretDataDigest(KEY, SALT, { password: "pw1" });
    expect(combinedDigest({ a: db, b: db })).not.to.equal(combinedDigest({ a: db }));
    expect(combinedDigest({ b: db, a: db })).to.equal(combinedDigest({ a: db, b: db }));
  });
});

describe("pure: credentials", () => {
  it("metastore passwords are derived per release and role, never equal, never the admin's", () => {
    const a = deriveMetastorePassword("admin", "spark-35", "metastore_spark35");
    const b = deriveMetastorePassword("admin", "spark-41", "metastore_spark41");
    expect(a).to.have.length(40);
    expect(a).not.to.equal(b);
    expect(a).not.to.contain("admin");
    expect(deriveMetastorePassword("admin", "spark-35", "metastore_spark35")).to.equal(a);
    expect(deriveMetastorePassword("rotated", "spark-35", "metastore_spark35")).not.to.equal(a);
  });
});
