import { expect } from "chai";
import type { JobRun, ReleaseKpis } from "../../lib/migration/jobKpis";
import { clientPod, readScript } from "./clients";
import { standaloneSubmitArgs } from "./jobs";
import {
  KNOWN_SHAPE,
  KPIS_SCRIPT,
  asKpisPod,
  eventLogObjects,
  kpisEnv,
  parseKpisResult,
  shapeComplaints,
  visibilityDelayMs,
} from "./jobKpisLive";

const column = (over: Partial<ReleaseKpis> & { stages?: number; tasks?: number }) => {
  const { stages = 3, tasks = 12, ...rest } = over;
  return {
    release: "spark-41",
    sparkVersion: "4.1.0",
    runs: 1,
    meanPerRun: {
      durationMs: 900,
      stages,
      tasks,
      failedTasks: 0,
      shuffleReadBytes: 0,
      shuffleWriteBytes: 0,
      memorySpillBytes: 0,
      diskSpillBytes: 0,
      gcTimeMs: undefined,
    },
    applications: ["spark-1"],
    runningApplications: ["spark-1"],
    matchedBy: ["job-tag"],
    ...rest,
  } as ReleaseKpis;
};

describe("live job-kpis check: pure parts", () => {
  it("the job's script runs the shape it is given, and a Connect job tags its session", () => {
    const script = readScript(KPIS_SCRIPT);
    expect(script).to.contain("spark.addTag(JOB)");
    expect(script).to.contain('write.format("noop")');
    expect(kpisEnv("job", "clickstream-sessionize", KNOWN_SHAPE)).to.deep.equal([
      { name: "KPIS_ROLE", value: "job" },
      { name: "KPIS_JOB", value: "clickstream-sessionize" },
      { name: "KPIS_STAGES", value: "3" },
      { name: "KPIS_TASKS", value: "4" },
    ]);
  });

  it("turns a spark-submit pod into one running kpis_job.py under the platform job's name", () => {
    const pod = clientPod({
      name: "it-kpis-job-spark-35-x",
      namespace: "airflow",
      runId: "x",
      image: "apache/spark:3.5.7",
      args: standaloneSubmitArgs("spark://m:7077", "it-job-x", "512m", "1"),
      env: [{ name: "IT_MODE", value: "standalone" }],
    }) as unknown as { spec: { containers: { args: string[]; env: unknown[] }[] } };
    const job = asKpisPod(pod, "clickstream-sessionize", kpisEnv("job", "c", KNOWN_SHAPE));
    const args = job.spec.containers[0]!.args;
    expect(args[args.indexOf("--name") + 1]).to.equal("clickstream-sessionize");
    expect(args[args.length - 1]).to.equal("/opt/it/kpis_job.py");
    expect(job.spec.containers[0]!.env).to.deep.include({ name: "IT_MODE", value: "standalone" });
    expect(job.spec.containers[0]!.env).to.deep.include({ name: "KPIS_STAGES", value: "3" });
    // The original is left as it was.
    expect(pod.spec.containers[0]!.args[pod.spec.containers[0]!.args.length - 1]).to.equal(
      "/opt/it/it_job.py",
    );
  });

  it("reads the job's result line", () => {
    const log =
      'INFO x\nIT-KPIS {"endedMs": 20, "mode": "connect", "role": "job", "sparkVersion": "4.1.0", "stages": 3, "startedMs": 10, "tasks": 12}\nINFO stop';
    expect(parseKpisResult(log)).to.include({ mode: "connect", stages: 3, tasks: 12, endedMs: 20 });
    expect(parseKpisResult("IT-ERROR boom")).to.equal(undefined);
  });

  it("holds a column to the known shape: one run, its stages and tasks, running-app data on 4.1 only", () => {
    expect(shapeComplaints(column({}), KNOWN_SHAPE, true)).to.deep.equal([]);
    expect(shapeComplaints(column({ runs: 0 }), KNOWN_SHAPE, true)).to.deep.equal([
      "spark-41: no run yet",
    ]);
    expect(shapeComplaints(column({ stages: 2, tasks: 8 }), KNOWN_SHAPE, true)).to.deep.equal([
      "spark-41: 2 stages, expected 3",
      "spark-41: 8 tasks, expected 12",
    ]);
    expect(shapeComplaints(column({}), KNOWN_SHAPE, false)).to.deep.equal([
      "spark-41: the run comes from a running application",
    ]);
    expect(shapeComplaints(column({ runningApplications: [] }), KNOWN_SHAPE, true)).to.deep.equal([
      "spark-41: the run is not marked as running-app data",
    ]);
    expect(shapeComplaints(undefined, KNOWN_SHAPE, true)).to.deep.equal([
      "no column in the report",
    ]);
  });

  it("measures visibility from the run's last Spark job's end", () => {
    const run = {
      started: "2026-12-07T12:00:00.000Z",
      durationMs: 4_000,
    } as JobRun;
    expect(visibilityDelayMs(run, Date.parse("2026-12-07T12:00:34.000Z"))).to.equal(30_000);
    expect(visibilityDelayMs({ ...run, durationMs: undefined }, 0)).to.equal(undefined);
  });

  it("counts an application's closed event-log files and reads its status marker", () => {
    const dir = "4.1/events/eventlog_v2_spark-abc";
    const objects = [
      { name: `${dir}/appstatus_spark-abc.inprogress`, size: 0 },
      { name: `${dir}/events_1_spark-abc`, size: 2_097_000 },
      { name: `${dir}/events_2_spark-abc`, size: 2_096_500 },
      { name: "4.1/events/eventlog_v2_spark-other/events_1_spark-other", size: 5 },
    ];
    expect(eventLogObjects(objects, "spark-abc")).to.deep.equal({
      files: 2,
      bytes: 4_193_500,
      inProgress: true,
    });
    expect(
      eventLogObjects([{ name: `${dir}/appstatus_spark-abc`, size: 0 }], "spark-abc"),
    ).to.deep.equal({ files: 0, bytes: 0, inProgress: false });
    expect(eventLogObjects([], "spark-abc").inProgress).to.equal(undefined);
  });
});
