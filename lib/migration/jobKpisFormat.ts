import { formatBytes } from "./benchReport";
import type { JobKpisReport, KpiKey, ReleaseKpis } from "./jobKpis";

/** A mean byte count, rounded to whole bytes, in binary units. */
const wholeBytes = (v: number) => formatBytes(Math.round(v));

/** The job-kpis report as Markdown (for people) or JSON (for scripts). */

/** How each figure is labelled and printed, in report order. */
const KPI_FIGURES: readonly { key: KpiKey; label: string; format: (v: number) => string }[] = [
  { key: "durationMs", label: "duration", format: (v: number) => `${(v / 1000).toFixed(1)} s` },
  { key: "stages", label: "stages", format: (v: number) => v.toFixed(1) },
  { key: "tasks", label: "tasks", format: (v: number) => v.toFixed(1) },
  { key: "failedTasks", label: "failed tasks", format: (v: number) => v.toFixed(1) },
  {
    key: "shuffleReadBytes",
    label: "shuffle read",
    format: wholeBytes,
  },
  {
    key: "shuffleWriteBytes",
    label: "shuffle write",
    format: wholeBytes,
  },
  {
    key: "memorySpillBytes",
    label: "spill (memory)",
    format: wholeBytes,
  },
  {
    key: "diskSpillBytes",
    label: "spill (disk)",
    format: wholeBytes,
  },
  { key: "gcTimeMs", label: "GC time", format: (v: number) => `${(v / 1000).toFixed(1)} s` },
];

/** A release's run count, saying when its runs come from a running application. */
const runsCell = (r: ReleaseKpis): string =>
  r.runningApplications.length > 0 ? `${r.runs} (running app)` : String(r.runs);

const ratio = (value: number | undefined, baseline: number | undefined): string =>
  value === undefined || baseline === undefined || baseline === 0
    ? "n/a"
    : `${(value / baseline).toFixed(2)}x`;

/**
 * Markdown: a table per job, releases as columns (oldest Spark version first), the mean
 * per run of each figure, and each newer release divided by the oldest.
 */
export function formatJobKpisMarkdown(report: JobKpisReport): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const out = [
    `# Job KPIs${report.stack ? ` (stack ${report.stack})` : ""}`,
    "",
    `Mean per run from each release's History Server${report.since ? `, runs started at or after ${report.since}` : ""}; ratio below 1.00x means less than the oldest release.`,
    "",
  ];
  for (const job of report.jobs) {
    const [baseline, ...others] = job.releases;
    if (!baseline) continue;
    out.push(`## ${job.job} (routed to ${job.routedTo})`, "");
    const header = [
      "",
      ...job.releases.map((r) => `${r.release} (${r.sparkVersion})`),
      ...others.map((r) => `${r.release} / ${baseline.release}`),
    ];
    out.push(line(header), line(header.map((_, i) => (i === 0 ? "---" : "---:"))));
    out.push(line(["runs", ...job.releases.map(runsCell), ...others.map(() => "")]));
    for (const { key, label, format } of KPI_FIGURES) {
      const value = (r: ReleaseKpis) => r.meanPerRun[key];
      out.push(
        line([
          label,
          ...job.releases.map((r) => {
            const v = value(r);
            return v === undefined ? "n/a" : format(v);
          }),
          ...others.map((r) => ratio(value(r), value(baseline))),
        ]),
      );
    }
    out.push("");
    const notes: string[] = [];
    const noRuns = job.releases.filter((r) => r.runs === 0).map((r) => r.release);
    if (noRuns.length > 0) notes.push(`No run found on ${noRuns.join(", ")}.`);
    const methods = new Set(job.releases.flatMap((r) => r.matchedBy));
    if (methods.size > 1) {
      notes.push(
        "Runs were recognised differently (" +
          job.releases
            .filter((r) => r.runs > 0)
            .map((r) => `${r.release}: ${r.matchedBy.join(", ")}`)
            .join("; ") +
          "): an application's duration includes its start-up, a tagged run's spans its Spark jobs only.",
      );
    }
    for (const r of job.releases.filter((r) => r.runningApplications.length > 0)) {
      notes.push(
        `${r.release}: running-app data from ${r.runningApplications.join(", ")}, still running when read (a Connect server's application runs as long as the server): figures are what its History Server had read of the rolled event log; Spark jobs still running are left out, and a whole running application has no duration yet.`,
      );
    }
    const noGc = job.releases.filter((r) => r.runs > 0 && r.meanPerRun.gcTimeMs === undefined);
    if (noGc.length > 0) {
      notes.push(
        `GC time n/a on ${noGc.map((r) => r.release).join(", ")}: its stages report no jvmGcTime and a shared application's executors also ran other work.`,
      );
    }
    out.push(...notes.map((n) => `- ${n}`), ...(notes.length > 0 ? [""] : []));
  }
  return out.join("\n");
}

export function formatJobKpisJson(report: JobKpisReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
