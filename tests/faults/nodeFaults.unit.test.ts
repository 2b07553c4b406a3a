import { expect } from "chai";
import { parsePlatformConfig } from "../../lib/config/parse";
import { rawConfigFromStackFile } from "../../lib/config/sources";
import { podDisruptionBudget } from "../../components/spark-release/manifests/common";
import { stackFilePath } from "../../tools/cli/stackFiles";
import { budgetComplaints, evictedPods, FAULT_WORKERS, withFaultWorkers } from "./nodeFaults";

describe("node faults (tests/faults/nodeFaults.ts)", () => {
  it("reads the evicted pods from kubectl drain's output", () => {
    const out = [
      "node/spark-node-2 cordoned",
      "evicting pod spark/spark-35-worker-7d9f-abcde",
      "pod/spark-35-worker-7d9f-abcde evicted",
      "pod/coredns-5c7b-xyz12 evicted",
      "node/spark-node-2 drained",
    ].join("\n");
    expect(evictedPods(out)).to.deep.equal(["spark-35-worker-7d9f-abcde", "coredns-5c7b-xyz12"]);
    expect(evictedPods("node/spark-node-2 drained")).to.deep.equal([]);
  });

  it("runs local's spark-35 with two workers, which gets it the workers' budget", () => {
    const raw = rawConfigFromStackFile(stackFilePath("local"));
    const releases = withFaultWorkers(raw.values["releases"] as Record<string, unknown>[]);
    const parsed = parsePlatformConfig({ ...raw, values: { ...raw.values, releases } });
    expect(parsed.ok).to.equal(true);
    if (!parsed.ok) return;
    const spark35 = parsed.config.releases.find((r) => r.name === "spark-35")!;
    expect(spark35.standalone!.workers).to.equal(FAULT_WORKERS);
    expect(podDisruptionBudget(spark35, "worker", "spark-35-worker", FAULT_WORKERS)).to.not.equal(
      undefined,
    );
    const spark41 = parsed.config.releases.find((r) => r.name === "spark-41")!;
    expect(spark41.standalone).to.equal(undefined);
  });

  it("a drain has a worker budget to meet, one that allows a disruption", () => {
    expect(budgetComplaints("spark-35-worker=1 ", "spark-35-worker")).to.deep.equal([]);
    expect(budgetComplaints("", "spark-35-worker")[0]).to.match(/no PodDisruptionBudget/);
    expect(budgetComplaints("spark-35-worker=0", "spark-35-worker")[0]).to.match(
      /allowed no disruption/,
    );
  });
});
