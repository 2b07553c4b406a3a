// npm run client-namespaces -- --stack <local|local-prod>
// Creates (or updates) the client namespaces and ServiceAccounts a local stack's grants
// name, Pod Security restricted, the way the teams would before `npm run up` (the platform
// admits client namespaces; it does not own them). `npm run setup` runs it.
import { parseArgs } from "node:util";
import { clientNamespaceObjects, ensureClientNamespaces } from "../tools/engine/clientNamespaces";
import { loadStackOrExit, stackFilePath } from "../tools/cli/stackFiles";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { stack: { type: "string" } } });
  if (values.stack !== "local" && values.stack !== "local-prod") {
    console.error("usage: npm run client-namespaces -- --stack <local|local-prod>");
    process.exit(2);
  }
  const { config } = loadStackOrExit(stackFilePath(values.stack));
  await ensureClientNamespaces(config);
  const made = clientNamespaceObjects(config) as { kind: string; metadata: { name: string } }[];
  console.log(
    `client namespaces of ${values.stack}: ${made.map((o) => `${o.kind}/${o.metadata.name}`).join(", ") || "none"}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
