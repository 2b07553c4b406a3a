// npm run render -- --stack <name> --out <dir>
// Evaluates Pulumi.<name>.yaml with no cloud and no cluster and writes
// <dir>/manifests.yaml (every Kubernetes object) and <dir>/resources.json (the rest).
// Objects are validated against the Kubernetes OpenAPI schemas first. Credential digests
// use a fixed stand-in for the stack's digest key (RENDER_DIGEST_KEY in tools/render/mocks.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadStackOrExit, PLACEHOLDER_SECRETS, stackFilePath } from "../tools/cli/stackFiles";
import { schemaProblems } from "../lib/kube/analysis/schema";
import { evaluateProgram } from "../tools/render/evaluate";
import { kubernetesManifests, manifestsYaml, otherResources } from "../tools/render/render";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { stack: { type: "string" }, out: { type: "string" }, file: { type: "string" } },
  });
  if (!values.stack || !values.out) {
    console.error("usage: npm run render -- --stack <name> --out <dir> [--file <stack file>]");
    process.exit(2);
  }
  const file = values.file ?? stackFilePath(values.stack);
  const { raw } = loadStackOrExit(file);
  const { resources } = await evaluateProgram(raw, PLACEHOLDER_SECRETS, values.stack);
  const manifests = kubernetesManifests(resources);
  const problems = schemaProblems(manifests);
  if (problems.length > 0) {
    for (const problem of problems) console.error(`schema: ${problem}`);
    process.exit(1);
  }
  const others = otherResources(resources);
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, "manifests.yaml"), manifestsYaml(manifests));
  writeFileSync(join(values.out, "resources.json"), JSON.stringify(others, null, 2) + "\n");
  console.log(
    `rendered stack ${values.stack}: ${manifests.length} Kubernetes objects -> ${join(values.out, "manifests.yaml")}, ${others.length} other resources -> ${join(values.out, "resources.json")}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
