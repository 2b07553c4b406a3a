import { expect } from "chai";
import { CLUSTER_NET } from "../../../../cluster/addressPlan";
import { inCidr } from "../../../../cluster/cleanup/leftoverParsing";
import {
  clusterNode,
  clusterNodes,
  FIRST_NODE,
  forNode,
  MAX_NODES,
  nodeProcessName,
  poolLetters,
} from "../../../../cluster/node/clusterNode";

describe("cluster/node: node identities", () => {
  it("node 1 has the addresses of docs/local-cluster.md and no peer link", () => {
    expect(FIRST_NODE).to.deep.equal({
      index: 1,
      name: "spark-node",
      netns: "spark-node",
      hostIf: "spk-host",
      nodeIf: "spk-node",
      hostIp: "10.201.0.1",
      nodeIp: "10.201.0.2",
      linkCidr: "10.201.0.0/30",
      prefixLen: 30,
      podCidr: "10.244.0.0/24",
      podGateway: "10.244.0.1",
      bridge: "cni0",
      cgroupRoot: "/",
      pool: "pool-a",
      peer: undefined,
    });
  });

  it("node 2 has the next link and pod range, its own cgroup root and a peer link to node 1", () => {
    expect(clusterNode(2)).to.deep.include({
      name: "spark-node-2",
      netns: "spark-node-2",
      hostIf: "spk-host2",
      hostIp: "10.201.0.5",
      nodeIp: "10.201.0.6",
      linkCidr: "10.201.0.4/30",
      podCidr: "10.244.1.0/24",
      bridge: "cni1",
      cgroupRoot: "/spark-node-2",
      pool: "pool-b",
    });
    expect(clusterNode(2).peer).to.deep.equal({
      cidr: "10.201.1.4/30",
      prefixLen: 30,
      controlPlaneIf: "spk-peer2",
      controlPlaneIp: "10.201.1.5",
      nodeIf: "spk-peer1",
      nodeIp: "10.201.1.6",
    });
  });

  it("every node has its own netns, veths, links, pod range and cgroup root, none overlapping", () => {
    const nodes = [1, 2, 3, 27, MAX_NODES].map(clusterNode);
    for (const key of [
      "name",
      "netns",
      "hostIf",
      "nodeIf",
      "hostIp",
      "nodeIp",
      "podCidr",
      "bridge",
      "cgroupRoot",
      "pool",
    ] as const) {
      expect(new Set(nodes.map((n) => n[key])).size, key).to.equal(nodes.length);
    }
    const later = nodes.filter((n) => n.peer);
    expect(new Set(later.map((n) => n.peer!.controlPlaneIf)).size).to.equal(later.length);
    for (const n of nodes) {
      for (const name of [n.hostIf, n.nodeIf, n.bridge, n.peer?.controlPlaneIf ?? ""])
        expect(name.length, name).to.be.at.most(15); // IFNAMSIZ
      expect(inCidr(n.hostIp, n.linkCidr) && inCidr(n.nodeIp, n.linkCidr)).to.equal(true);
      expect(inCidr(n.linkCidr.split("/")[0]!, CLUSTER_NET.nodeLinkRange)).to.equal(true);
      expect(inCidr(n.podGateway, n.podCidr)).to.equal(true);
      expect(inCidr(n.podGateway, CLUSTER_NET.podRange)).to.equal(true);
      if (n.peer) {
        expect(inCidr(n.peer.controlPlaneIp, n.peer.cidr)).to.equal(true);
        expect(inCidr(n.peer.nodeIp, n.peer.cidr)).to.equal(true);
        expect(inCidr(n.peer.nodeIp, CLUSTER_NET.peerLinkRange)).to.equal(true);
        expect(inCidr(n.peer.nodeIp, CLUSTER_NET.nodeLinkRange)).to.equal(false);
      }
      for (const m of nodes.filter((o) => o !== n)) {
        expect(inCidr(m.nodeIp, n.linkCidr)).to.equal(false);
        expect(inCidr(m.podGateway, n.podCidr)).to.equal(false);
        if (n.peer && m.peer) expect(inCidr(m.peer.nodeIp, n.peer.cidr)).to.equal(false);
      }
      expect(inCidr(n.nodeIp, CLUSTER_NET.serviceCidr)).to.equal(false);
    }
  });

  it("names pools a, b, ..., z, aa, ... and keeps node 1's process and phase names plain", () => {
    expect([1, 2, 26, 27, 28, 52, 53].map(poolLetters)).to.deep.equal([
      "a",
      "b",
      "z",
      "aa",
      "ab",
      "az",
      "ba",
    ]);
    expect(nodeProcessName(FIRST_NODE, "kubelet")).to.equal("kubelet");
    expect(nodeProcessName(clusterNode(2), "kubelet")).to.equal("kubelet-spark-node-2");
    expect(forNode(FIRST_NODE, "node network")).to.equal("node network");
    expect(forNode(clusterNode(2), "node network")).to.equal("node network (spark-node-2)");
    expect(clusterNodes(2).map((n) => n.name)).to.deep.equal(["spark-node", "spark-node-2"]);
  });

  it("refuses indexes and counts outside the address plan", () => {
    for (const bad of [0, -1, 1.5, MAX_NODES + 1]) {
      expect(() => clusterNode(bad)).to.throw(/index/);
      expect(() => clusterNodes(bad)).to.throw(/count/);
    }
  });
});
