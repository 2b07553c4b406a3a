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

/**
 * The provider the engine's dynamic-provider host runs. Its methods are self-contained
 * (the one require is inside, nothing is captured), so their source text is the whole
 * provider: see PROVIDER_SOURCE.
 */
export const digestKeyProvider = {
  async create(): Promise<{ id: string; outs: { key: string } }> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { randomBytes } = require("node:crypto") as typeof import("node:crypto");
    return { id: "credentials-digest-key", outs: { key: randomBytes(32).toString("hex") } };
  },
  // Nothing the program passes can change the key: never an update, never a replacement.
  async diff(): Promise<{ changes: boolean }> {
    return { changes: false };
  },
} satisfies pulumi.dynamic.ResourceProvider;

/**
 * A key provider as the module the dynamic-provider host loads (`exports.handler()`
 * returns the provider), written from its methods' own source text; they must be
 * self-contained (nothing captured, requires inside).
 */
export function providerModuleSource(provider: {
  create: (...args: never[]) => unknown;
  diff: (...args: never[]) => unknown;
}): string {
  return (
    "exports.handler = function () {\n  return {\n    " +
    `${provider.create.toString()},\n    ${provider.diff.toString()},\n` +
    "  };\n};\n"
  );
}

/**
 * The provider as the module the dynamic-provider host loads (`exports.handler()` returns
 * the provider), written from the methods' own source. `pulumi.dynamic.Resource` would
 * produce the same through Pulumi's closure serializer, which starts the inspector and
 * parses with TypeScript at every run: about half a second of CPU before the first
 * resource, for a provider that captures nothing.
 */
export const PROVIDER_SOURCE = providerModuleSource(digestKeyProvider);

/** The stack's credential-digest key (dynamic provider; `key` is a secret output). */
export class CredentialsDigestKey extends pulumi.CustomResource {
  declare public readonly key: pulumi.Output<string>;

  constructor(name: string, opts?: pulumi.CustomResourceOptions) {
    super(
      DIGEST_KEY_TYPE,
      name,
      { __provider: PROVIDER_SOURCE, key: undefined },
      { ...opts, additionalSecretOutputs: ["key"] },
    );
  }
}
