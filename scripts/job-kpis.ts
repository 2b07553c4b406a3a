// npm run job-kpis -- --stack <name> [--file <stack file>] [--job <id>] [--since <ISO time>]
//   [--format markdown|json] [--timeout-ms 10000] --history <release>=<url> ...
// Per platform job, KPIs of its runs on each release read from that release's History
// Server REST API, side by side (docs/migration-runbook.md). Exit 2: bad arguments.
import { parseArgs } from "node:util";
import { loadStackOrExit, stackFilePath } from "../tools/cli/stackFiles";
import { parseHistoryArg, type FetchLike } from "../lib/migration/benchReport";
import { jobKpis, runsOf, type JobRun } from "../lib/migration/jobKpis";
import { formatJobKpisJson, formatJobKpisMarkdown } from "../lib/migration/jobKpisFormat";
import { fetchApplicationHistories } from "../lib/migration/jobKpisHistory";

const USAGE =
  "usage: npm run job-kpis -- --stack <name> [--file <stack file>] [--job <id>] [--since <ISO time>] [--format markdown|json] [--timeout-ms 10000] --history <release>=<url> ...";

function refuse(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        stack: { type: "string" },
        file: { type: "string" },
        job: { type: "string" },
        since: { type: "string" },
        format: { type: "string", default: "markdown" },
        history: { type: "string", multiple: true, default: [] },
        "timeout-ms": { type: "string", default: "10000" },
      },
    }));
  } catch (error) {
    refuse(`${(error as Error).message}\n${USAGE}`);
  }
  if (!values.stack && !values.file) refuse(USAGE);
  if (values.format !== "markdown" && values.format !== "json") {
    refuse(`--format ${values.format}: expected markdown or json`);
  }
  const since = values.since === undefined ? undefined : Date.parse(values.since);
  if (since !== undefined && Number.isNaN(since)) {
    refuse(`--since ${values.since}: not an ISO time (e.g. 2026-11-23T00:00:00Z)`);
  }
  const timeoutMs = Number(values["timeout-ms"]);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    refuse(`--timeout-ms ${values["timeout-ms"]}: expected a positive whole number`);
  }
  let history: Map<string, string>;
  try {
    history = new Map((values.history ?? []).map(parseHistoryArg));
  } catch (error) {
    refuse((error as Error).message);
  }
  const { config } = loadStackOrExit(values.file ?? stackFilePath(values.stack!));
  if (values.job !== undefined && !config.jobs.some((j) => j.id === values.job)) {
    refuse(
      `--job ${values.job}: no such job in spark-platform:jobs (known: ${config.jobs.map((j) => j.id).join(", ") || "none"})`,
    );
  }
  const names = config.releases.map((r) => r.name);
  for (const release of history.keys()) {
    if (!names.includes(release)) {
      refuse(`--history ${release}: no such release in the stack (releases: ${names.join(", ")})`);
    }
  }
  // A decommissioned release's History Server may be gone: its URL is optional.
  const missing = config.releases
    .filter((r) => !r.decommissioned && !history.has(r.name))
    .map((r) => r.name);
  if (missing.length > 0) {
    refuse(
      `no History Server URL for release ${missing.join(", ")}: add --history ${missing.map((m) => `${m}=<url>`).join(" --history ")}`,
    );
  }
  const jobIds = config.jobs
    .map((j) => j.id)
    .filter((id) => values.job === undefined || id === values.job);
  const runs: JobRun[] = [];
  for (const [release, url] of history) {
    const histories = await fetchApplicationHistories(url, jobIds, fetch as unknown as FetchLike, {
      timeoutMs,
    });
    runs.push(...histories.flatMap((h) => runsOf(release, h, jobIds, since)));
  }
  const report = jobKpis(config, runs, {
    stack: values.stack,
    since,
    onlyJob: values.job,
    releases: [...history.keys()],
  });
  process.stdout.write(
    values.format === "json" ? formatJobKpisJson(report) : formatJobKpisMarkdown(report),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
