import { expect } from "chai";
import {
  finish,
  join,
  leave,
  PREPARE,
  start,
  upSteps,
} from "../../../../cluster/commands/upCommand";
import { clusterNode, clusterNodes } from "../../../../cluster/node/clusterNode";

const names = (actions: readonly { name: string }[]) => actions.map((a) => a.name);

describe("cluster/commands: up's actions", () => {
  it("one node: the phases in order, the stand-ins only when wanted", () => {
    expect(names(PREPARE)).to.deep.equal(["prerequisites", "build"]);
    expect(names(start(clusterNodes(1)))).to.deep.equal([
      "clear leftovers",
      "node network",
      "certificates",
      "core images",
      "shared services",
      "etcd",
      "kube-apiserver",
      "controller-manager, scheduler",
      "nodes beyond --nodes forgotten",
      "containerd + images",
      "kubelet (node Ready)",
      "kube-proxy, kube-router",
      "coredns",
      "spark-infra services",
      "DNS + services from a pod",
    ]);
    const one = clusterNodes(1);
    expect(names(finish({ restart: false, standIns: true }, one))).to.deep.equal([
      "volumes",
      "PodMonitor CRD",
      "stand-in images",
      "derived images",
      "jar mirror",
    ]);
    expect(names(finish({ restart: false, standIns: false }, one))).to.deep.equal([
      "volumes",
      "PodMonitor CRD",
      "jar mirror",
    ]);
  });

  it("two nodes: node 2's network after node 1's, its processes after node 1's, a probe and images on each", () => {
    const two = names(start(clusterNodes(2)));
    const at = (n: string) => two.indexOf(n);
    expect(at("node network (spark-node-2)")).to.equal(at("node network") + 1);
    expect(two.slice(at("nodes beyond --nodes forgotten") + 1, at("coredns"))).to.deep.equal([
      "containerd + images",
      "kubelet (node Ready)",
      "kube-proxy, kube-router",
      "containerd + images (spark-node-2)",
      "kubelet (node Ready) (spark-node-2)",
      "kube-proxy, kube-router (spark-node-2)",
    ]);
    expect(two.slice(-2)).to.deep.equal([
      "DNS + services from a pod",
      "DNS + services from a pod (spark-node-2)",
    ]);
    expect(new Set(two).size).to.equal(two.length);
    expect(names(finish({ restart: false, standIns: true }, clusterNodes(2)))).to.deep.equal([
      "volumes",
      "PodMonitor CRD",
      "stand-in images",
      "stand-in images (spark-node-2)",
      "derived images",
      "derived images (spark-node-2)",
      "jar mirror",
    ]);
  });

  it("joining node 2 to a running cluster touches only node 2 (and certificates, core images)", () => {
    expect(names(join([clusterNode(2)]))).to.deep.equal([
      "clear leftovers (spark-node-2)",
      "node network (spark-node-2)",
      "certificates",
      "core images",
      "containerd + images (spark-node-2)",
      "kubelet (node Ready) (spark-node-2)",
      "kube-proxy, kube-router (spark-node-2)",
      "DNS + services from a pod (spark-node-2)",
    ]);
    expect(names(leave([clusterNode(2)]))).to.deep.equal(["remove spark-node-2"]);
  });

  it("the shared services start beside the control plane and are awaited before their Services", () => {
    const list = start(clusterNodes(2));
    const all = names(list);
    const background = names(list.filter((a) => a.background));
    expect(background).to.deep.equal(["shared services"]);
    const awaiting = list.filter((a) => a.awaits?.includes("shared services"));
    expect(names(awaiting)).to.deep.equal(["spark-infra services"]);
    expect(all.indexOf("shared services")).to.be.below(all.indexOf("etcd"));
  });

  it("decides: start when asked or when the core is down, else join and remove what differs", () => {
    const base = { restart: false, coreHealthy: true, wantedNodes: [], runningBeyond: [] };
    expect(upSteps(base)).to.deep.equal({ kind: "healthy" });
    expect(upSteps({ ...base, restart: true })).to.deep.equal({ kind: "start" });
    expect(upSteps({ ...base, coreHealthy: false })).to.deep.equal({ kind: "start" });
    expect(upSteps({ ...base, wantedNodes: [{ index: 2, healthy: true }] })).to.deep.equal({
      kind: "healthy",
    });
    expect(upSteps({ ...base, wantedNodes: [{ index: 2, healthy: false }] })).to.deep.equal({
      kind: "adjust",
      join: [2],
      leave: [],
    });
    expect(upSteps({ ...base, runningBeyond: [2] })).to.deep.equal({
      kind: "adjust",
      join: [],
      leave: [2],
    });
  });
});
