import { expect } from "chai";
import type { JobRun } from "../cluster/jobs";
import {
  clearError,
  faultTable,
  LATE_ROW,
  secondsBetween,
  slowJobVerdict,
  type FaultRow,
} from "./faultReport";

const WROTE: [number, string][] = [[1, "alpha"], [2, "beta"], [3, "gamma"], LATE_ROW];

function run(phase: string, extra: Partial<JobRun> = {}, rows = WROTE, slowRows = 45): JobRun {
  return {
    release: "spark-35",
    pod: "it-slow",
    namespace: "airflow",
    phase,
    seconds: 70,
    logTail: "",
    ...(phase === "Succeeded"
      ? {
          result: {
            mode: "standalone",
            action: "slow",
            sparkVersion: "3.5.7",
            applicationId: "app-1",
            rows,
            slowRows,
            databases: [],
            sessionSeconds: 1,
            totalSeconds: 60,
          },
        }
      : {}),
    ...extra,
  };
}

describe("fault suite verdicts (tests/faults/faultReport.ts)", () => {
  it("a succeeded slow job that counted every row and holds both writes completed", () => {
    expect(slowJobVerdict(run("Succeeded"), 45).outcome).to.equal("completed");
  });

  it("a success with rows missing or tasks short is unclear, naming what is missing", () => {
    const short = slowJobVerdict(run("Succeeded", {}, WROTE, 30), 45);
    expect(short.outcome).to.equal("unclear");
    expect(short.detail).to.contain("counted 30 of 45");
    const lost = slowJobVerdict(run("Succeeded", {}, WROTE.slice(0, 3)), 45);
    expect(lost.outcome).to.equal("unclear");
    expect(lost.detail).to.contain("read back");
  });

  it("a failure with an IT-ERROR line failed clearly, and its message is the detail", () => {
    const log =
      "noise\nIT-ERROR SparkConnectGrpcException: <_MultiThreadedRendezvous of RPC that terminated with: status = StatusCode.UNAVAILABLE>\nTraceback";
    const verdict = slowJobVerdict(run("Failed", { logTail: log }), 45);
    expect(verdict.outcome).to.equal("failed with a clear error");
    expect(verdict.detail).to.match(/^SparkConnectGrpcException: .*UNAVAILABLE/);
  });

  it("a failure whose IT-ERROR line scrolled out of the tail still failed clearly", () => {
    // The 4.1 server's stack trace follows the line: the run keeps it from the whole log.
    const verdict = slowJobVerdict(
      run("Failed", {
        logTail: "\tat org.apache.spark.SparkContext.runJob(SparkContext.scala:2754)",
        errorLine: "SparkException: Job 3 cancelled because SparkContext was shut down",
      }),
      45,
    );
    expect(verdict.outcome).to.equal("failed with a clear error");
    expect(verdict.detail).to.contain("SparkContext was shut down");
  });

  it("a failure without an error line, or a pod that never ended, is unclear", () => {
    expect(slowJobVerdict(run("Failed", { logTail: "killed" }), 45).outcome).to.equal("unclear");
    expect(slowJobVerdict(run("Running"), 45).outcome).to.equal("unclear");
    expect(clearError("IT-ERROR   \n")).to.equal(undefined);
  });

  it("times between instants in seconds with one decimal", () => {
    expect(secondsBetween(1000, 13_460)).to.equal(12.5);
    expect(secondsBetween(0, 0)).to.equal(0);
  });

  it("the table has one row per fault, dashes for what was not measured, pipes escaped", () => {
    const rows: FaultRow[] = [
      {
        fault: "3.5 master killed",
        outcome: "passed",
        job: "completed",
        readySeconds: 31.2,
        nextJobSeconds: 88,
        detail: "ok",
      },
      { fault: "drain", outcome: "not run", detail: "a | b\nc" },
    ];
    const lines = faultTable(rows).split("\n");
    expect(lines).to.have.length(4);
    expect(lines[2]).to.equal("| 3.5 master killed | passed | completed | 31.2 | 88 | ok |");
    expect(lines[3]).to.equal("| drain | not run | - | - | - | a \\| b c |");
  });
});
