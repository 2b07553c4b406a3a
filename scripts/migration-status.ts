// npm run migration-status -- --stack <name> [--file <stack file>] [--json]
// Reads Pulumi.<name>.yaml (no cloud, no cluster) and prints the jobs per release, the
// share migrated to the newest Spark line, the phase, and what blocks decommissioning.
import { parseArgs } from "node:util";
import { loadStackOrExit, stackFilePath } from "../tools/cli/stackFiles";
import { formatMigrationStatus, migrationStatus } from "../lib/migration/status";

const { values } = parseArgs({
  options: {
    stack: { type: "string" },
    file: { type: "string" },
    json: { type: "boolean", default: false },
  },
});
if (!values.stack && !values.file) {
  console.error("usage: npm run migration-status -- --stack <name> [--file <stack file>] [--json]");
  process.exit(2);
}
const file = values.file ?? stackFilePath(values.stack!);
const { config } = loadStackOrExit(file);
const status = migrationStatus(config);
if (values.json) console.log(JSON.stringify(status, null, 2));
else process.stdout.write(formatMigrationStatus(status, values.stack));
