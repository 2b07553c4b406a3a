import { expect } from "chai";
import { nodeCgroupTop } from "../../../../cluster/node/cgroupRoot";
import { clusterNode, FIRST_NODE } from "../../../../cluster/node/clusterNode";

describe("cluster/node: cgroup roots", () => {
  it("node 1's pods stay in kubepods at the top; a later node's whole root is its own", () => {
    expect(nodeCgroupTop("/sys/fs/cgroup/memory", FIRST_NODE)).to.equal(
      "/sys/fs/cgroup/memory/kubepods",
    );
    expect(nodeCgroupTop("/sys/fs/cgroup/memory", clusterNode(2))).to.equal(
      "/sys/fs/cgroup/memory/spark-node-2",
    );
  });
});
