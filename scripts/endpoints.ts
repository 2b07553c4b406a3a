// npm run endpoints -- --stack <name>: a stack's release endpoints and how to reach its UIs,
// read from the outputs of the engine's workspace stack (after npm run up).
import { parseArgs } from "node:util";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { formatEndpoints } from "../tools/engine/endpointReport";
import { pulumiEnvironment, workspaceDir } from "../tools/engine/workspace";
import type { NotebookOutput, ReleaseOutput } from "../lib/contract/outputs";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { stack: { type: "string" } } });
  if (!values.stack) {
    console.error("usage: npm run endpoints -- --stack <name>");
    process.exit(2);
  }
  const stack = await LocalWorkspace.selectStack(
    { stackName: values.stack, workDir: workspaceDir(values.stack) },
    { envVars: await pulumiEnvironment() },
  );
  const outputs = await stack.outputs();
  const releases = outputs["releases"]?.value as Record<string, ReleaseOutput> | undefined;
  if (!releases)
    throw new Error(
      `stack ${values.stack} has no 'releases' output: run npm run up -- --stack ${values.stack}`,
    );
  const notebooks = outputs["notebooks"]?.value as Record<string, NotebookOutput> | undefined;
  console.log(formatEndpoints(values.stack, releases, notebooks));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
