import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  benchReport,
  fetchHistoryMetrics,
  formatBytes,
  parseBenchResult,
  parseHistoryArg,
  type BenchResult,
  type FetchLike,
} from "../../../../lib/migration/benchReport";

const FIXTURES = join(__dirname, "../../../fixtures/bench");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");
const result = (release: string): BenchResult =>
  parseBenchResult(fixture(`${release}.json`), `${release}.json`);

/** Serves recorded History Server JSON for `http://<release>-history:18080/api/v1/...`. */
const recordedHistory: FetchLike = async (url) => {
  const match =
    /^http:\/\/(spark-\d+)-history:18080\/api\/v1\/applications\/[^/]+\/(stages|allexecutors)$/.exec(
      url,
    );
  if (!match) return { ok: false, status: 404, json: async () => ({}) };
  const body: unknown = JSON.parse(fixture(`history/${match[1]}-${match[2]}.json`));
  return { ok: true, status: 200, json: async () => body };
};

/** A server that never answers: only the abort signal ends the request. */
const silent: FetchLike = (_url, init) =>
  new Promise((_resolve, reject) => {
    init.signal.addEventListener("abort", () => reject(init.signal.reason));
  });

describe("bench report: results", () => {
  it("reads a result file and the last JSON line of kubectl logs alike", () => {
    const fromLogs = parseBenchResult(fixture("spark-35.kubectl-logs.txt"), "logs");
    expect(fromLogs).to.deep.equal(result("spark-35"));
    expect(fromLogs.queries.map((q) => q.name)).to.deep.equal(["count", "group-by", "join"]);
  });

  it("refuses files that are not benchmark results, naming the file and field", () => {
    expect(() => parseBenchResult("no json here", "a.txt")).to.throw("a.txt: no JSON result found");
    expect(() => parseBenchResult('{"release": "x"}', "b.json")).to.throw(
      /b\.json: not a benchmark result: sparkVersion/,
    );
  });

  it("puts releases side by side, oldest version first, with ratios", () => {
    const report = benchReport([result("spark-41"), result("spark-35")]);
    expect(report).to.contain(
      "|  | spark-35 (3.5.7 standalone) | spark-41 (4.1.0 connect) | spark-41 / spark-35 |",
    );
    expect(report).to.contain("| count (s) | 3.412 | 2.104 | 0.62x |");
    expect(report).to.contain("| join (s) | 14.226 | 9.370 | 0.66x |");
    expect(report).to.contain("| **total (s)** | **24.509** | **16.426** | **0.67x** |");
    expect(report).to.contain("| shuffle write | n/a | n/a | n/a |");
    expect(report).not.to.contain("results differ");
  });

  it("flags different answers and different parameters", () => {
    const other = result("spark-41");
    const changed: BenchResult = {
      ...other,
      rows: 5_000_000,
      queries: other.queries.map((q) => (q.name === "count" ? { ...q, answer: 5_000_000 } : q)),
    };
    const report = benchReport([result("spark-35"), changed]);
    expect(report).to.contain(
      "count: spark-41 answered 5000000, spark-35 10000000: results differ.",
    );
    expect(report).to.contain("not comparable");
  });
});

describe("bench report: History Server metrics", () => {
  it("sums shuffle writes of the run's stages and takes the peak JVM heap", async () => {
    const outcome = await fetchHistoryMetrics(
      "http://spark-35-history:18080",
      result("spark-35"),
      recordedHistory,
    );
    expect(outcome).to.deep.equal({
      ok: true,
      metrics: {
        shuffleWriteBytes: 944 + 1052672 + 158292992 + 2187520 + 1120,
        peakJvmHeapBytes: 1803550720,
        stages: 8,
      },
    });
  });

  it("counts only stages submitted during the run (a Connect server is shared)", async () => {
    const outcome = await fetchHistoryMetrics(
      "http://spark-41-history:18080/",
      result("spark-41"),
      recordedHistory,
    );
    expect(outcome.ok).to.equal(true);
    if (!outcome.ok) return;
    expect(outcome.metrics.stages).to.equal(6);
    expect(outcome.metrics.shuffleWriteBytes).to.equal(1024 + 95780864 + 1310720 + 734003 + 944);
  });

  it("reports n/a with a note when a History Server does not answer in time", async () => {
    const started = Date.now();
    const outcome = await fetchHistoryMetrics(
      "http://spark-41-history:18080",
      result("spark-41"),
      silent,
      50,
    );
    expect(Date.now() - started).to.be.below(2000);
    expect(outcome).to.deep.equal({
      ok: false,
      reason:
        "http://spark-41-history:18080/api/v1/applications/spark-7f3c2a1b9d0e4c5f8a6b2d1e3f4a5b6c: no answer within 50 ms",
    });
    const report = benchReport([result("spark-35"), result("spark-41")], { "spark-41": outcome });
    expect(report).to.contain("| shuffle write | n/a | n/a | n/a |");
    expect(report).to.contain("spark-41: History Server unreachable or incomplete");
  });

  it("tells why a Connect release's History Server has no data yet, and only for Connect", () => {
    const missing = { ok: false as const, reason: "HTTP 500" };
    const report = benchReport([result("spark-35"), result("spark-41")], {
      "spark-35": missing,
      "spark-41": missing,
    });
    const notes = report.split("\n").filter((l) => l.includes("History Server unreachable"));
    expect(notes).to.have.length(2);
    expect(notes.find((n) => n.includes("spark-41"))).to.contain("after the server's next restart");
    expect(notes.find((n) => n.includes("spark-35"))).to.not.contain("restart");
  });

  it("reports an HTTP error (unknown application) as n/a, not a crash", async () => {
    const outcome = await fetchHistoryMetrics(
      "http://elsewhere:18080",
      result("spark-35"),
      recordedHistory,
    );
    expect(outcome.ok).to.equal(false);
    if (!outcome.ok) expect(outcome.reason).to.contain("HTTP 404");
  });

  it("puts shuffle bytes and peak heap into the table", async () => {
    const metrics = {
      "spark-35": await fetchHistoryMetrics(
        "http://spark-35-history:18080",
        result("spark-35"),
        recordedHistory,
      ),
      "spark-41": await fetchHistoryMetrics(
        "http://spark-41-history:18080",
        result("spark-41"),
        recordedHistory,
      ),
    };
    const report = benchReport([result("spark-35"), result("spark-41")], metrics);
    expect(report).to.contain("| shuffle write | 154.1 MiB | 93.3 MiB | 0.61x |");
    expect(report).to.contain("| peak JVM heap | 1.7 GiB | 2.5 GiB | 1.49x |");
    expect(report).to.contain("spark-41: Connect server application is shared by all sessions");
  });
});

describe("bench report helpers", () => {
  it("formats bytes and parses --history", () => {
    expect(formatBytes(512)).to.equal("512 B");
    expect(formatBytes(1536)).to.equal("1.5 KiB");
    expect(parseHistoryArg("spark-35=http://localhost:18080")).to.deep.equal([
      "spark-35",
      "http://localhost:18080",
    ]);
    expect(() => parseHistoryArg("spark-35")).to.throw("--history spark-35");
    expect(() => parseHistoryArg("=http://x")).to.throw();
  });

  it("reads the live run's `kubectl logs` files and gives docs/benchmark.md's timings", () => {
    // Recorded on the local cluster by the live suite (tests/cluster/benchmark.ts).
    const live = ["spark-35", "spark-41"].map((r) =>
      parseBenchResult(fixture(`live/${r}.log`), `live/${r}.log`),
    );
    const report = benchReport(live);
    const docs = readFileSync(join(__dirname, "../../../../docs/benchmark.md"), "utf8");
    for (const label of ["count (s)", "group-by (s)", "join (s)", "**total (s)**"]) {
      const row = report.split("\n").find((l) => l.startsWith(`| ${label} |`));
      expect(row, label).to.be.a("string");
      expect(docs, label).to.contain(row!);
    }
    expect(report).to.not.contain("results differ");
  });
});
