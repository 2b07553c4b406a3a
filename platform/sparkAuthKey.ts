import * as pulumi from "@pulumi/pulumi";
import { providerModuleSource } from "./digestKey";

/**
 * The key every standalone release's Spark authentication secret derives from
 * (lib/credentials/derivation.ts `deriveSparkAuthSecret`): 32 random bytes drawn once,
 * when the stack first creates this resource, and kept in the stack's state as a secret,
 * like the credential-digest key (platform/digestKey.ts), of which it is independent. No
 * user configuration. Rotating it is replacing it:
 * `pulumi up --replace <this resource's URN>` draws a new key, every standalone release's
 * secret changes, and exactly the pods holding one roll (their masters and workers), while
 * the client Secrets are rewritten in place.
 */

/** Pulumi type of the key resource; the render tool answers it with a fixed stand-in. */
export const SPARK_AUTH_KEY_TYPE = "pulumi-nodejs:dynamic/spark-platform:SparkAuthenticationKey";

/** Self-contained methods (the one require is inside): their source text is the provider. */
export const sparkAuthKeyProvider = {
  async create(): Promise<{ id: string; outs: { key: string } }> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { randomBytes } = require("node:crypto") as typeof import("node:crypto");
    return { id: "spark-authentication-key", outs: { key: randomBytes(32).toString("hex") } };
  },
  // Nothing the program passes can change the key: only a replacement draws a new one.
  async diff(): Promise<{ changes: boolean }> {
    return { changes: false };
  },
} satisfies pulumi.dynamic.ResourceProvider;

/** The provider as the module the dynamic-provider host loads (see platform/digestKey.ts). */
export const SPARK_AUTH_KEY_PROVIDER_SOURCE = providerModuleSource(sparkAuthKeyProvider);

/** The stack's Spark authentication key (dynamic provider; `key` is a secret output). */
export class SparkAuthenticationKey extends pulumi.CustomResource {
  declare public readonly key: pulumi.Output<string>;

  constructor(name: string, opts?: pulumi.CustomResourceOptions) {
    super(
      SPARK_AUTH_KEY_TYPE,
      name,
      { __provider: SPARK_AUTH_KEY_PROVIDER_SOURCE, key: undefined },
      { ...opts, additionalSecretOutputs: ["key"] },
    );
  }
}
