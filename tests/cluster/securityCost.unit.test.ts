import { expect } from "chai";
import type { BenchResult } from "../../lib/migration/benchReport";
import { answerMismatches, securityCostTable } from "./securityCost";

const result = (release: string, seconds: number[], answers: unknown[] = [1, 2]): BenchResult => ({
  release,
  sparkVersion: release === "spark-35" ? "3.5.7" : "4.1.0",
  mode: "x",
  rows: 10,
  partitions: 2,
  queries: seconds.map((s, i) => ({ name: `q${i}`, seconds: s, answer: answers[i] })),
  totalSeconds: seconds.reduce((a, b) => a + b, 0),
  applicationId: "app",
  started: "t0",
  finished: "t1",
});

describe("tests/cluster/securityCost: the benchmark with security on against off", () => {
  const on = { "spark-35": result("spark-35", [2, 4]), "spark-41": result("spark-41", [3, 3]) };
  const off = { "spark-35": result("spark-35", [2, 2]), "spark-41": result("spark-41", [2, 2]) };

  it("prints per query and in total the seconds on and off and their ratio", () => {
    const table = securityCostTable(on, off).split("\n");
    expect(table).to.include("| spark-35 | q1 | 4.0 | 2.0 | 2.00x |");
    expect(table).to.include("| spark-35 | **total** | 6.0 | 4.0 | **1.50x** |");
    expect(table).to.include("| spark-41 | **total** | 6.0 | 4.0 | **1.50x** |");
  });

  it("finds answers that differ between the runs, and only those", () => {
    expect(answerMismatches(on, off)).to.deep.equal([]);
    const changed = { ...off, "spark-41": result("spark-41", [2, 2], [1, 3]) };
    expect(answerMismatches(on, changed)).to.deep.equal(["spark-41 q1: answers differ"]);
  });
});
