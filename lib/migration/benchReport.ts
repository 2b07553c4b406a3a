import { z } from "zod";
import { compareVersions } from "../spark/versions";
import { requestFailure } from "./requestFailure";

/**
 * Side-by-side report of benchmark results (one JSON per release, as the benchmark Job
 * prints and writes it), optionally enriched with shuffle bytes and peak memory read
 * from each release's History Server REST API. Pure apart from the injected fetch.
 */

const queryResult = z.object({
  name: z.string().min(1),
  seconds: z.number().nonnegative(),
  answer: z.unknown().optional(),
});

export const benchResultSchema = z.object({
  release: z.string().min(1),
  sparkVersion: z.string().min(1),
  mode: z.string().min(1),
  rows: z.number().int().positive(),
  partitions: z.number().int().positive(),
  queries: z.array(queryResult).min(1),
  totalSeconds: z.number().nonnegative(),
  applicationId: z.string().min(1),
  started: z.string().min(1),
  finished: z.string().min(1),
});

export type BenchResult = z.infer<typeof benchResultSchema>;

/**
 * Reads one result: a JSON file, or `kubectl logs job/<release>-benchmark` output whose
 * last JSON line is the result (Spark's log lines before it are skipped).
 */
export function parseBenchResult(text: string, source: string): BenchResult {
  const trimmed = text.trim();
  const candidate = trimmed.startsWith("{")
    ? trimmed
    : trimmed
        .split("\n")
        .reverse()
        .find((line) => line.trim().startsWith("{"));
  if (!candidate) throw new Error(`${source}: no JSON result found`);
  let json: unknown;
  try {
    json = JSON.parse(candidate);
  } catch (error) {
    throw new Error(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = benchResultSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.join(".") || "<root>"}: ${i.message}`,
    );
    throw new Error(`${source}: not a benchmark result: ${problems.join("; ")}`);
  }
  return parsed.data;
}

/** What one release's History Server says about the benchmark application. */
export interface HistoryMetrics {
  /** Sum of shuffleWriteBytes of the stages the benchmark ran. */
  readonly shuffleWriteBytes: number;
  /** Largest peak JVM heap of any executor or the driver. */
  readonly peakJvmHeapBytes: number;
  /** Stages counted (those submitted between the run's start and finish). */
  readonly stages: number;
}

export type MetricsOutcome =
  | { readonly ok: true; readonly metrics: HistoryMetrics }
  | { readonly ok: false; readonly reason: string };

/** The subset of `fetch` the report needs; tests inject recorded responses. */
export type FetchLike = (
  url: string,
  init: { signal: AbortSignal },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/** History Server dates look like `2026-11-23T20:41:31.102GMT`. */
function historyDate(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const ms = Date.parse(value.replace(/GMT$/, "Z"));
  return Number.isNaN(ms) ? undefined : ms;
}

interface StageData {
  submissionTime?: string;
  shuffleWriteBytes?: number;
}

interface ExecutorSummary {
  id?: string;
  peakMemoryMetrics?: { JVMHeapMemory?: number };
}

/**
 * Reads `/api/v1/applications/<appId>/stages` and `/allexecutors` (all, not only the
 * active `/executors`: once the application ended its executors are no longer active).
 * Only stages submitted during the run count: a Connect server is one long application
 * shared by every session, so its other stages are not the benchmark's. Peak memory of a
 * Connect server's executors can still include other sessions' work (noted in the report).
 */
export async function fetchHistoryMetrics(
  historyUrl: string,
  result: BenchResult,
  fetchFn: FetchLike,
  timeoutMs = 3000,
): Promise<MetricsOutcome> {
  const base = `${historyUrl.replace(/\/+$/, "")}/api/v1/applications/${encodeURIComponent(result.applicationId)}`;
  const get = async (path: string): Promise<unknown> => {
    const response = await fetchFn(`${base}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`GET ${base}${path}: HTTP ${response.status}`);
    return response.json();
  };
  try {
    const [stages, executors] = await Promise.all([get("/stages"), get("/allexecutors")]);
    if (!Array.isArray(stages) || !Array.isArray(executors)) {
      return { ok: false, reason: `${base}: unexpected response (not a JSON array)` };
    }
    const from = Date.parse(result.started);
    const to = Date.parse(result.finished);
    const inRun = (stages as StageData[]).filter((stage) => {
      const submitted = historyDate(stage.submissionTime);
      return submitted === undefined || (submitted >= from && submitted <= to);
    });
    return {
      ok: true,
      metrics: {
        shuffleWriteBytes: inRun.reduce((sum, s) => sum + (s.shuffleWriteBytes ?? 0), 0),
        peakJvmHeapBytes: Math.max(
          0,
          ...(executors as ExecutorSummary[]).map((e) => e.peakMemoryMetrics?.JVMHeapMemory ?? 0),
        ),
        stages: inRun.length,
      },
    };
  } catch (error) {
    return { ok: false, reason: `${base}: ${requestFailure(error, timeoutMs)}` };
  }
}

/** `1536` -> `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

const ratio = (value: number | undefined, baseline: number | undefined): string =>
  value === undefined || baseline === undefined || baseline === 0
    ? "n/a"
    : `${(value / baseline).toFixed(2)}x`;

/**
 * The Markdown report. Columns are releases, oldest Spark version first; the ratio
 * columns divide each newer release by that first one (below 1.00x: faster).
 */
export function benchReport(
  input: readonly BenchResult[],
  metrics: Readonly<Record<string, MetricsOutcome | undefined>> = {},
): string {
  if (input.length === 0) throw new Error("no benchmark results given");
  const results = [...input].sort(
    (a, b) => compareVersions(a.sparkVersion, b.sparkVersion) || a.release.localeCompare(b.release),
  );
  const baseline = results[0]!;
  const others = results.slice(1);
  const notes: string[] = [];

  const header = [
    "",
    ...results.map((r) => `${r.release} (${r.sparkVersion} ${r.mode})`),
    ...others.map((r) => `${r.release} / ${baseline.release}`),
  ];
  const rows: string[][] = [];
  const queryNames = [...new Set(results.flatMap((r) => r.queries.map((q) => q.name)))];
  const seconds = (r: BenchResult, name: string) => r.queries.find((q) => q.name === name)?.seconds;
  for (const name of queryNames) {
    rows.push([
      `${name} (s)`,
      ...results.map((r) => seconds(r, name)?.toFixed(3) ?? "n/a"),
      ...others.map((r) => ratio(seconds(r, name), seconds(baseline, name))),
    ]);
  }
  rows.push([
    "**total (s)**",
    ...results.map((r) => `**${r.totalSeconds.toFixed(3)}**`),
    ...others.map((r) => `**${ratio(r.totalSeconds, baseline.totalSeconds)}**`),
  ]);

  const metric = (r: BenchResult) => metrics[r.release];
  const metricValue = (r: BenchResult, pick: (m: HistoryMetrics) => number) => {
    const outcome = metric(r);
    return outcome?.ok ? pick(outcome.metrics) : undefined;
  };
  for (const [label, pick] of [
    ["shuffle write", (m: HistoryMetrics) => m.shuffleWriteBytes],
    ["peak JVM heap", (m: HistoryMetrics) => m.peakJvmHeapBytes],
  ] as const) {
    rows.push([
      label,
      ...results.map((r) => {
        const value = metricValue(r, pick);
        return value === undefined ? "n/a" : formatBytes(value);
      }),
      ...others.map((r) => ratio(metricValue(r, pick), metricValue(baseline, pick))),
    ]);
  }
  rows.push([
    "application",
    ...results.map((r) => `\`${r.applicationId}\``),
    ...others.map(() => ""),
  ]);

  for (const r of results) {
    const outcome = metric(r);
    if (outcome === undefined) {
      notes.push(
        `${r.release}: no --history ${r.release}=<url> given; shuffle and memory are n/a.`,
      );
    } else if (!outcome.ok) {
      notes.push(
        `${r.release}: History Server unreachable or incomplete (${outcome.reason}).` +
          (r.mode === "connect"
            ? " A Connect server's application reaches its History Server only when it ends (S3 shows an event-log file once it is closed): run the report again after the server's next restart."
            : ""),
      );
    } else if (r.mode === "connect") {
      notes.push(
        `${r.release}: Connect server application is shared by all sessions; shuffle counts the ${outcome.metrics.stages} stages submitted during the run, peak heap may include other sessions.`,
      );
    }
  }
  for (const r of others) {
    if (r.rows !== baseline.rows || r.partitions !== baseline.partitions) {
      notes.push(
        `${r.release} ran ${r.rows} rows / ${r.partitions} partitions, ${baseline.release} ${baseline.rows} / ${baseline.partitions}: not comparable.`,
      );
    }
    for (const name of queryNames) {
      const mine = r.queries.find((q) => q.name === name)?.answer;
      const theirs = baseline.queries.find((q) => q.name === name)?.answer;
      if (JSON.stringify(mine) !== JSON.stringify(theirs)) {
        notes.push(
          `${name}: ${r.release} answered ${JSON.stringify(mine)}, ${baseline.release} ${JSON.stringify(theirs)}: results differ.`,
        );
      }
    }
  }
  const releasesSeen = new Set<string>();
  for (const r of results) {
    if (releasesSeen.has(r.release)) notes.push(`${r.release}: more than one result given.`);
    releasesSeen.add(r.release);
  }

  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const out = [
    "# Spark version benchmark",
    "",
    `Workload: count, group-by and join over spark.range data, ${baseline.rows} rows in ${baseline.partitions} partitions. Wall-clock seconds per query; ratio below 1.00x means faster than ${baseline.release}.`,
    "",
    line(header),
    line(header.map((_, i) => (i === 0 ? "---" : "---:"))),
    ...rows.map(line),
    "",
  ];
  if (notes.length > 0) {
    out.push("Notes:", "", ...notes.map((n) => `- ${n}`), "");
  }
  return out.join("\n");
}

/** `spark-35=http://localhost:18080` -> `["spark-35", "http://localhost:18080"]`. */
export function parseHistoryArg(value: string): [string, string] {
  const at = value.indexOf("=");
  const release = value.slice(0, at);
  const url = value.slice(at + 1);
  if (at <= 0 || !/^https?:\/\/[^/]/.test(url)) {
    throw new Error(`--history ${value}: expected <release>=<http(s)://host:port>`);
  }
  return [release, url];
}
