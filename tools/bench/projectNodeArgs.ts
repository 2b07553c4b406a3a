import { parse as parseYaml } from "yaml";

/**
 * The node arguments a Pulumi project file asks the Node.js language host to start the
 * program with (`runtime.options.nodeargs`, split on blanks as the host splits it), so a
 * benchmark starts the program as `pulumi up` does.
 */
export function projectNodeArgs(pulumiYaml: string): string[] {
  const project = parseYaml(pulumiYaml) as {
    runtime?: string | { options?: { nodeargs?: unknown } };
  };
  const nodeargs =
    typeof project.runtime === "object" ? project.runtime.options?.nodeargs : undefined;
  if (nodeargs === undefined) return [];
  if (typeof nodeargs !== "string")
    throw new Error("Pulumi.yaml: runtime.options.nodeargs must be a string");
  return nodeargs.split(/\s+/).filter((arg) => arg !== "");
}
