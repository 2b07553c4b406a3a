import type { RegisteredResource } from "../render/evaluate";

/**
 * URNs as the engine computes them: `urn:pulumi:<stack>::<project>::<type chain>::<name>`,
 * where the type chain is the parent's chain (the root Stack excluded) followed by `$<type>`.
 * Lets a mock evaluation be compared with what a real preview reports.
 */

const STACK_TYPE = "pulumi:pulumi:Stack";

/** The `<type chain>` part of a URN ("" for the Stack itself or no parent). */
export function typeChainOf(urn: string): string {
  // Stack, project and types never contain "::"; a name may, so it is everything after.
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0]!.startsWith("urn:pulumi:")) {
    throw new Error(`not a Pulumi URN: ${urn}`);
  }
  return parts[2]!;
}

export function urnOf(
  resource: Pick<RegisteredResource, "type" | "name" | "parent">,
  stack: string,
  project: string,
): string {
  const parentChain = resource.parent ? typeChainOf(resource.parent) : "";
  const chain =
    parentChain && parentChain !== STACK_TYPE ? `${parentChain}$${resource.type}` : resource.type;
  return `urn:pulumi:${stack}::${project}::${chain}::${resource.name}`;
}

/** Resources the engine adds by itself: the Stack and default providers. */
export function isEngineOwned(urn: string): boolean {
  const chain = typeChainOf(urn);
  if (chain === STACK_TYPE) return true;
  return chain.startsWith("pulumi:providers:") && /::default(_[0-9_]+)?$/.test(urn);
}
