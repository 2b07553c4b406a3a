import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { DIGEST_KEY_TYPE } from "../../platform/digestKey";
import { SPARK_AUTH_KEY_TYPE } from "../../platform/sparkAuthKey";
import { CONNECT_CERTIFICATES_TYPE } from "../../platform/connectCertificates";

/**
 * What the mocks answer for the stack's credential-digest key (platform/digestKey.ts): a
 * fixed, public stand-in, so renders are deterministic. Rendered credentials-digest
 * annotations are therefore not the values a real stack (with its own random key) carries.
 */
export const RENDER_DIGEST_KEY = createHash("sha256")
  .update("spark-platform render: stand-in credentials digest key, not a secret")
  .digest("hex");

/**
 * What the mocks answer for the stack's Spark authentication key (platform/sparkAuthKey.ts):
 * a fixed, public stand-in as well, so the secrets a render derives from it are not a real
 * stack's (and, being secrets, render as "[secret]" anyway).
 */
export const RENDER_SPARK_AUTH_KEY = createHash("sha256")
  .update("spark-platform render: stand-in Spark authentication key, not a secret")
  .digest("hex");

/**
 * What the mocks answer for a Connect release's certificates (platform/connectCertificates.ts):
 * fixed, public stand-ins that are not certificates at all, so a render never makes keys
 * and stays deterministic (the server's Secret renders as "[secret]" anyway).
 */
export const RENDER_CONNECT_CERTIFICATES = {
  caCert: "render stand-in CA certificate, not a certificate\n",
  serverCert: "render stand-in server certificate, not a certificate\n",
  serverKey: "render stand-in server key, not a key\n",
  serverNotAfter: "2000-01-01T00:00:00.000Z",
} as const;

/**
 * Pulumi's in-process mock monitor as the render tool runs the program (and the benchmark's
 * floor runs its trivial resources): every resource's state is its inputs, custom
 * resources get `<name>-id`, the digest key resource answers `digestKey` and the Spark
 * authentication key resource `sparkAuthKey`, a Connect release's certificates
 * `RENDER_CONNECT_CERTIFICATES`.
 */
export function renderMocks(
  digestKey: string,
  sparkAuthKey: string = RENDER_SPARK_AUTH_KEY,
): pulumi.runtime.Mocks {
  const keys: Record<string, string> = {
    [DIGEST_KEY_TYPE]: digestKey,
    [SPARK_AUTH_KEY_TYPE]: sparkAuthKey,
  };
  return {
    newResource: (args) => ({
      id: args.custom ? `${args.name}-id` : "",
      state:
        args.type in keys
          ? { ...args.inputs, key: keys[args.type] }
          : args.type === CONNECT_CERTIFICATES_TYPE
            ? { ...args.inputs, ...RENDER_CONNECT_CERTIFICATES }
            : args.inputs,
    }),
    call: (args) => args.inputs,
  };
}

/**
 * Waits until every pending registration reached the monitor. `waitForRPCs` is internal
 * to the SDK (it is what `pulumi` itself awaits before exit), hence the typed lookup.
 */
export async function waitForRegistrations(): Promise<void> {
  const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
  if (!runtime.waitForRPCs) throw new Error("@pulumi/pulumi no longer exposes waitForRPCs");
  await runtime.waitForRPCs();
}
