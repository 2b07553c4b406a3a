import { expect } from "chai";
import { evictedPods } from "./nodeFaults";

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
});
