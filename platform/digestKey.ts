import * as pulumi from "@pulumi/pulumi";

/**
 * The key of the credential digests (lib/credentials/derivation.ts `secretDataDigest`):
 * 32 random bytes drawn once, when the stack first creates this resource, and kept in the
 * stack's state as a secret (encrypted like any other). Every later run reads the same
 * key back, so unchanged credentials give unchanged digests and nothing rolls. No user
 * configuration: a new stack makes its own key. Deleting the resource (or the stack) draws
 * a new key on the next `up`, and every pod holding credentials rolls once.
 */

/** Pulumi type of the key resource; the render tool answers it with a fixed stand-in. */
export const DIGEST_KEY_TYPE = "pulumi-nodejs:dynamic/spark-platform:CredentialsDigestKey";

// Serialized into the engine's dynamic-provider host at every run: self-contained (its
// one require is inside), so the closure walk stays short.
export const digestKeyProvider: pulumi.dynamic.ResourceProvider = {
  async create() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { randomBytes } = require("node:crypto") as typeof import("node:crypto");
    return { id: "credentials-digest-key", outs: { key: randomBytes(32).toString("hex") } };
  },
  // Nothing the program passes can change the key: never an update, never a replacement.
  async diff() {
    return { changes: false };
  },
};

/** The stack's credential-digest key (dynamic provider; `key` is a secret output). */
export class CredentialsDigestKey extends pulumi.dynamic.Resource {
  declare public readonly key: pulumi.Output<string>;

  constructor(name: string, opts?: pulumi.CustomResourceOptions) {
    super(
      digestKeyProvider,
      name,
      { key: undefined },
      { ...opts, additionalSecretOutputs: ["key"] },
      "spark-platform",
      "CredentialsDigestKey",
    );
  }
}
