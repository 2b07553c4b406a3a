// The stack's Spark authentication key resource: drawn once at random, never changed by a run.
import { runInNewContext } from "node:vm";
import { expect } from "chai";
import {
  SPARK_AUTH_KEY_PROVIDER_SOURCE,
  sparkAuthKeyProvider,
} from "../../../platform/sparkAuthKey";
import { PROVIDER_SOURCE } from "../../../platform/digestKey";

interface Provider {
  create(): Promise<{ id: string; outs: { key: string } }>;
  diff(): Promise<{ changes: boolean; replaces?: string[] }>;
}

/** The provider as the engine's dynamic-provider host loads it: the source alone. */
function providerFromSource(): Provider {
  const module = { exports: {} as { handler?: () => Provider } };
  runInNewContext(SPARK_AUTH_KEY_PROVIDER_SOURCE, { exports: module.exports, module, require });
  return module.exports.handler!();
}

describe("platform/sparkAuthKey.ts: the Spark authentication key's dynamic provider", () => {
  for (const [origin, provider] of [
    ["the provider object", () => sparkAuthKeyProvider as Provider],
    ["its source as the dynamic-provider host loads it", providerFromSource],
  ] as const) {
    it(`${origin}: creates 32 random bytes in hex, different for every stack`, async () => {
      const first = await provider().create();
      const second = await provider().create();
      expect(first.outs.key).to.match(/^[0-9a-f]{64}$/);
      expect(second.outs.key).not.to.equal(first.outs.key);
      expect(first.id).to.equal("spark-authentication-key");
    });

    it(`${origin}: never reports a change: only a replacement draws a new key`, async () => {
      const diff = await provider().diff();
      expect(diff.changes).to.equal(false);
      expect(diff.replaces ?? []).to.deep.equal([]);
    });
  }

  it("is a provider of its own, not the digest key's (a new key there would roll every pod)", () => {
    expect(SPARK_AUTH_KEY_PROVIDER_SOURCE).to.not.equal(PROVIDER_SOURCE);
  });
});
