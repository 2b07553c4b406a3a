import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { DIGEST_KEY_TYPE } from "../../platform/digestKey";

/**
 * What the mocks answer for the stack's credential-digest key (platform/digestKey.ts): a
 * fixed, public stand-in, so renders are deterministic. Rendered credentials-digest
 * annotations are therefore not the values a real stack (with its own random key) carries.
 */
export const RENDER_DIGEST_KEY = createHash("sha256")
  .update("spark-platform render: stand-in credentials digest key, not a secret")
  .digest("hex");

/**
 * Pulumi's in-process mock monitor as the render tool runs the program (and the benchmark's
 * floor runs its trivial resources): every resource's state is its inputs, custom
 * resources get `<name>-id`, and the digest key resource answers `digestKey`.
 */
export function renderMocks(digestKey: string): pulumi.runtime.Mocks {
  return {
    newResource: (args) => ({
      id: args.custom ? `${args.name}-id` : "",
      state: args.type === DIGEST_KEY_TYPE ? { ...args.inputs, key: digestKey } : args.inputs,
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
