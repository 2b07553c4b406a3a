// npm run check-config -- <file>
// Validates a file shaped like Pulumi.<stack>.yaml: exit 0, or 1 with one line per problem.
import { loadStackOrExit } from "../tools/cli/stackFiles";

const file = process.argv[2];
if (!file) {
  console.error("usage: npm run check-config -- <Pulumi.<stack>.yaml>");
  process.exit(2);
}
const { config } = loadStackOrExit(file);
console.log(
  `${file}: ok (${config.releases.length} releases: ${config.releases.map((r) => `${r.name} ${r.sparkVersion} ${r.mode}`).join(", ")}; ${config.jobs.length} jobs)`,
);
