import { expect } from "chai";
import { clusterNode, FIRST_NODE } from "../../../../cluster/node/clusterNode";
import {
  inNetns,
  inNetnsWithHostMounts,
  ON_HOST,
  statStartTime,
  wrap,
} from "../../../../cluster/node/procs";

describe("cluster/node: process supervision", () => {
  it("enters a node's netns with ip netns exec, or nsenter for the host's mounts", () => {
    expect(wrap(inNetns(FIRST_NODE), ["x"])).to.deep.equal([
      "ip",
      "netns",
      "exec",
      "spark-node",
      "x",
    ]);
    expect(wrap(inNetnsWithHostMounts(FIRST_NODE), ["x"])).to.deep.equal([
      "nsenter",
      "--net=/run/netns/spark-node",
      "--",
      "x",
    ]);
    expect(wrap(inNetns(clusterNode(2)), ["x"])).to.include("spark-node-2");
    expect(wrap(ON_HOST, ["x", "y"])).to.deep.equal(["x", "y"]);
  });

  it("reads the start time of /proc/<pid>/stat, whose comm may hold spaces", () => {
    const stat =
      "4242 (kube apiserver) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 12 0 987654 1000 10";
    expect(statStartTime(stat)).to.equal("987654");
  });
});
