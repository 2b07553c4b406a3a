import { expect } from "chai";
import { nodesBeyond } from "../../../../cluster/actions/forgetRemovedNodes";

describe("cluster/actions: nodes beyond --nodes", () => {
  it("names the harness's nodes past the count, never node 1 nor a node it did not make", () => {
    const names = ["spark-node", "spark-node-2", "spark-node-3", "worker-1", "spark-node-x"];
    expect(nodesBeyond(names, 1)).to.deep.equal(["spark-node-2", "spark-node-3"]);
    expect(nodesBeyond(names, 2)).to.deep.equal(["spark-node-3"]);
    expect(nodesBeyond(names, 3)).to.deep.equal([]);
  });
});
