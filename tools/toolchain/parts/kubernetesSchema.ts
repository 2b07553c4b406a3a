// The kubernetes provider's main package is generated, not shipped: the module has
// cmd/pulumi-resource-kubernetes with the schema sources and a generate step that embeds
// the schema (stamped with VERSION) into Go source.
import * as fs from "node:fs";
import * as path from "node:path";
import { go, type GoOptions } from "../goCommand";
import { copyWritable } from "../wrapper";

/** What is copied out of the provider module's cmd/pulumi-resource-kubernetes. */
export const SCHEMA_SOURCES = ["main.go", "generate.go", "schema.json", "terraform-mapping.json"];
/** The schema inputs, removed once generated (the build needs only the generated Go). */
export const SCHEMA_INPUTS = ["schema.json", "terraform-mapping.json"];

/** The environment of `go run generate.go`: VERSION stamps the schema. */
export function generateEnv(env: NodeJS.ProcessEnv, version: string): NodeJS.ProcessEnv {
  return { ...env, VERSION: version };
}

/** Copies the main package into the wrapper (o.cwd) and runs its generate step there. */
export async function generateMainPackage(
  o: GoOptions,
  providerDir: string,
  version: string,
): Promise<void> {
  copyWritable(path.join(providerDir, "cmd", "pulumi-resource-kubernetes"), SCHEMA_SOURCES, o.cwd);
  await go(["run", "generate.go"], { cwd: o.cwd, env: generateEnv(o.env, version) });
  for (const f of SCHEMA_INPUTS) fs.rmSync(path.join(o.cwd, f), { force: true });
}
