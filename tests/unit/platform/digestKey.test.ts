// The stack's credential-digest key resource: drawn once at random, never changed by a run.
import { runInNewContext } from "node:vm";
import { expect } from "chai";
import { DIGEST_KEY_BYTES } from "../../../lib/credentials/derivation";
import { digestKeyProvider, PROVIDER_SOURCE } from "../../../platform/digestKey";

interface Provider {
  create(): Promise<{ id: string; outs: { key: string } }>;
  diff(): Promise<{ changes: boolean; replaces?: string[] }>;
}

/** The provider as the engine's dynamic-provider host loads it: the source alone. */
function providerFromSource(): Provider {
  const module = { exports: {} as { handler?: () => Provider } };
  runInNewContext(PROVIDER_SOURCE, { exports: module.exports, module, require });
  return module.exports.handler!();
}

describe("platform/digestKey.ts: the credential-digest key's dynamic provider", () => {
  for (const [origin, provider] of [
    ["the provider object", () => digestKeyProvider as Provider],
    ["its source as the dynamic-provider host loads it", providerFromSource],
  ] as const) {
    it(`${origin}: creates 32 random bytes in hex, different for every stack`, async () => {
      const first = await provider().create();
      const second = await provider().create();
      expect(first.outs.key).to.match(new RegExp(`^[0-9a-f]{${DIGEST_KEY_BYTES * 2}}$`));
      expect(second.outs.key).not.to.equal(first.outs.key);
    });

    it(`${origin}: never reports a change, so the key outlives every edit of the program`, async () => {
      const diff = await provider().diff();
      expect(diff.changes).to.equal(false);
      expect(diff.replaces ?? []).to.deep.equal([]);
    });
  }
});
