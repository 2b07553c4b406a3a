import { expect } from "chai";
import { nodeIndexesIn } from "../../../../cluster/cleanup/knownNodes";

describe("cluster/cleanup: nodes with traces", () => {
  it("reads node indexes from netns, state directory and host link names, nothing else", () => {
    expect(
      nodeIndexesIn([
        "spark-node",
        "spark-node-2",
        "spk-host3",
        "spk-host",
        "cni-1234",
        "spark-node-x",
        "spark-node-02",
        "spark-node-99",
        "eth0",
      ]),
    ).to.deep.equal([1, 2, 3]);
  });
});
