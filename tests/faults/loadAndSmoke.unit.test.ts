import { expect } from "chai";
import type { JobRun } from "../cluster/jobs";
import { loadSummary, SMOKE_JOB, SMOKE_SUM, smokeCommand, smokeResult } from "./loadAndSmoke";

const run = (pod: string, phase: string, seconds: number): JobRun => ({
  release: "spark-41",
  pod,
  namespace: "airflow",
  phase,
  seconds,
  logTail: "",
});

describe("load and smoke (tests/faults/loadAndSmoke.ts)", () => {
  it("summarises a load: completed, failed by name, jobs per minute, the slowest", () => {
    const summary = loadSummary(
      [run("a", "Succeeded", 40), run("b", "Failed", 90), run("c", "Succeeded", 120)],
      120,
    );
    expect(summary).to.deep.equal({
      completed: 2,
      failed: ["b Failed"],
      perMinute: 1,
      slowest: { pod: "c", seconds: 120 },
    });
    expect(loadSummary([], 0)).to.deep.equal({ completed: 0, failed: [], perMinute: 0 });
  });

  it("reads the smoke job's result line among spark-submit's output", () => {
    const out = `INFO SparkContext: Running Spark version 3.5.7\nSMOKE-RESULT ${SMOKE_SUM} app-20261207070000-0003\nINFO ShutdownHookManager`;
    expect(smokeResult(out)).to.deep.equal({ sum: SMOKE_SUM, appId: "app-20261207070000-0003" });
    expect(smokeResult("INFO nothing")).to.equal(undefined);
  });

  it("the smoke job sums 0..999, which is what SMOKE_SUM says", () => {
    expect(SMOKE_JOB).to.contain("spark.range(0, 1000");
    expect(Array.from({ length: 1000 }, (_, i) => i).reduce((a, b) => a + b, 0)).to.equal(
      SMOKE_SUM,
    );
  });

  it("the smoke command is the old charts' own, with no configuration of its own", () => {
    expect(smokeCommand()).to.match(
      /&& \/opt\/spark\/bin\/spark-submit --master spark:\/\/\$\(hostname -i\):7077 \/tmp\/smoke.py$/,
    );
    expect(smokeCommand()).not.to.contain("SPARK_CONF_DIR");
  });
});
