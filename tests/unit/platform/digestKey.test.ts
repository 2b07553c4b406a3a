// The stack's credential-digest key resource: drawn once at random, never changed by a run.
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { DIGEST_KEY_BYTES } from "../../../lib/credentials/derivation";
import { digestKeyProvider } from "../../../platform/digestKey";

describe("platform/digestKey.ts: the credential-digest key's dynamic provider", () => {
  it("creates 32 random bytes in hex, different for every stack", async () => {
    const first = await digestKeyProvider.create({});
    const second = await digestKeyProvider.create({});
    expect(first.outs.key).to.match(new RegExp(`^[0-9a-f]{${DIGEST_KEY_BYTES * 2}}$`));
    expect(second.outs.key).not.to.equal(first.outs.key);
  });

  it("never reports a change: the key outlives every edit of the program and its config", async () => {
    const { outs } = await digestKeyProvider.create({});
    const diff = await digestKeyProvider.diff!("credentials-digest-key", outs, {
      __provider: "edited provider code",
    } as pulumi.Inputs);
    expect(diff.changes).to.equal(false);
    expect(diff.replaces ?? []).to.deep.equal([]);
  });
});
