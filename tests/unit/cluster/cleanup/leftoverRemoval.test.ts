import { expect } from "chai";
import { stopOrder } from "../../../../cluster/cleanup/leftoverRemoval";
import { clusterNodes } from "../../../../cluster/node/clusterNode";

describe("cluster/cleanup: stop order", () => {
  it("one node: the order it always had", () => {
    expect(stopOrder(clusterNodes(1), "cluster")).to.deep.equal([
      "maven-mirror",
      "minio",
      "kube-router",
      "kube-proxy",
      "kubelet",
      "containerd",
      "kube-scheduler",
      "kube-controller-manager",
      "kube-apiserver",
      "etcd",
    ]);
  });

  it("two nodes: both nodes' processes before the control plane; one node alone leaves the rest", () => {
    const all = stopOrder(clusterNodes(2), "cluster");
    for (const p of ["kube-router", "kube-proxy", "kubelet", "containerd"]) {
      expect(all.indexOf(`${p}-spark-node-2`), p).to.be.above(all.indexOf("minio"));
      expect(all.indexOf(`${p}-spark-node-2`), p).to.be.below(all.indexOf("kube-scheduler"));
    }
    expect(stopOrder(clusterNodes(2).slice(1), "nodes")).to.deep.equal([
      "kube-router-spark-node-2",
      "kube-proxy-spark-node-2",
      "kubelet-spark-node-2",
      "containerd-spark-node-2",
    ]);
  });
});
