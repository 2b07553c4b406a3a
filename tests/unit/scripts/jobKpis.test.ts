import { expect } from "chai";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { runProcess, type ProcessRun } from "../../support/processes";

const ROOT = join(__dirname, "../../..");
const FIXTURES = join(ROOT, "tests/fixtures");

/** `npx tsx scripts/job-kpis.ts <args>` as a child process. */
function jobKpisScript(args: string[]): Promise<ProcessRun> {
  return runProcess("npx", ["tsx", "scripts/job-kpis.ts", ...args], { cwd: ROOT });
}

/**
 * Both releases' History Servers on loopback, under `/spark-35` and `/spark-41`, serving
 * the recorded responses (tests/fixtures/job-kpis/README.md).
 */
function historyServers(): Promise<Server> {
  const app35 = "/spark-35/api/v1/applications/app-20261123204129-0004";
  const app41 = "/spark-41/api/v1/applications/spark-7f3c2a1b9d0e4c5f8a6b2d1e3f4a5b6c";
  const routes: Record<string, string> = {
    "/spark-35/api/v1/applications": "job-kpis/spark-35-applications.json",
    [`${app35}/stages`]: "bench/history/spark-35-stages.json",
    [`${app35}/allexecutors`]: "bench/history/spark-35-allexecutors.json",
    "/spark-35/api/v1/applications/app-20261123201502-0002/1/jobs":
      "job-kpis/spark-35-adhoc-jobs.json",
    "/spark-41/api/v1/applications": "job-kpis/spark-41-applications.json",
    [`${app41}/jobs`]: "job-kpis/spark-41-jobs.json",
    [`${app41}/stages`]: "bench/history/spark-41-stages.json",
    [`${app41}/allexecutors`]: "bench/history/spark-41-allexecutors.json",
  };
  const server = createServer((request, response) => {
    const file = routes[request.url ?? ""];
    response.writeHead(file ? 200 : 404, { "content-type": "application/json" });
    response.end(file ? readFileSync(join(FIXTURES, file)) : "{}");
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(server)));
}

describe("scripts/job-kpis.ts", function () {
  this.timeout(60000);
  let server: Server;
  let url: string;
  let markdown: ProcessRun;
  let json: ProcessRun;
  let notFound: ProcessRun;
  let unknownJob: ProcessRun;
  let missingHistory: ProcessRun;
  let badFormat: ProcessRun;

  before(async () => {
    server = await historyServers();
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const base = ["--stack", "dev"];
    const both = ["--history", `spark-35=${url}/spark-35`, "--history", `spark-41=${url}/spark-41`];
    // Processes at once: each pays tsx's start-up, none needs another's result.
    [markdown, json, notFound, unknownJob, missingHistory, badFormat] = await Promise.all([
      jobKpisScript([...base, ...both]),
      jobKpisScript([
        ...base,
        ...both,
        "--job",
        "clickstream-sessionize",
        "--since",
        "2026-11-23T20:43:00Z",
        "--format",
        "json",
      ]),
      jobKpisScript([
        ...base,
        "--history",
        `spark-35=${url}/none`,
        "--history",
        `spark-41=${url}/spark-41`,
      ]),
      jobKpisScript([...base, ...both, "--job", "nightly-typo"]),
      jobKpisScript([...base, "--history", `spark-41=${url}`]),
      jobKpisScript([...base, "--format", "csv", "--history", `spark-41=${url}`]),
    ]);
  });
  after(() => server.close());

  it("prints every job of the stack with both releases side by side", () => {
    expect(markdown.status, markdown.stderr).to.equal(0);
    expect(markdown.stdout).to.contain("# Job KPIs (stack dev)");
    for (const job of ["daily-sales-rollup", "customer-churn-features"]) {
      expect(markdown.stdout).to.contain(`## ${job} (routed to spark-35)`);
    }
    expect(markdown.stdout).to.contain("## clickstream-sessionize (routed to spark-41)");
    expect(markdown.stdout).to.contain("| runs | 1 | 1 |  |");
  });

  it("filters by --job and --since and prints JSON", () => {
    expect(json.status, json.stderr).to.equal(0);
    const report = JSON.parse(json.stdout) as {
      since: string;
      jobs: { job: string; releases: { release: string; runs: number }[] }[];
    };
    expect(report.since).to.equal("2026-11-23T20:43:00.000Z");
    expect(report.jobs.map((j) => j.job)).to.deep.equal(["clickstream-sessionize"]);
    // The spark-35 application started at 20:41, before --since.
    expect(report.jobs[0]!.releases.map((r) => [r.release, r.runs])).to.deep.equal([
      ["spark-35", 0],
      ["spark-41", 1],
    ]);
  });

  it("fails with exit 1 naming the History Server request that failed", () => {
    expect(notFound.status, notFound.stderr).to.equal(1);
    expect(notFound.stderr).to.contain(`GET ${url}/none/api/v1/applications: HTTP 404`);
  });

  it("refuses an unknown --job, naming it", () => {
    expect(unknownJob.status).to.equal(2);
    expect(unknownJob.stderr).to.contain("--job nightly-typo: no such job in spark-platform:jobs");
  });

  it("names the release without a --history URL", () => {
    expect(missingHistory.status).to.equal(2);
    expect(missingHistory.stderr).to.contain(
      "no History Server URL for release spark-35: add --history spark-35=<url>",
    );
  });

  it("refuses an unknown --format", () => {
    expect(badFormat.status).to.equal(2);
    expect(badFormat.stderr).to.contain("--format csv: expected markdown or json");
  });
});
