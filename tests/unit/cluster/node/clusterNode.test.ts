import { expect } from "chai";
import { CLUSTER_NET } from "../../../../cluster/addressPlan";
import { inCidr } from "../../../../cluster/cleanup/leftoverParsing";
import { clusterNode, FIRST_NODE, MAX_NODES } from "../../../../cluster/node/clusterNode";

describe("cluster/node: node identities", () => {
  it("node 1 has the addresses of docs/local-cluster.md", () => {
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
    });
  });

  it("every node has its own netns, veth, link and pod range, none overlapping", () => {
    const nodes = [1, 2, 3, MAX_NODES].map(clusterNode);
    for (const key of [
      "name",
      "netns",
      "hostIf",
      "nodeIf",
      "hostIp",
      "nodeIp",
      "podCidr",
    ] as const) {
      expect(new Set(nodes.map((n) => n[key])).size, key).to.equal(nodes.length);
    }
    for (const n of nodes) {
      expect(n.hostIf.length).to.be.at.most(15); // IFNAMSIZ
      expect(inCidr(n.hostIp, n.linkCidr) && inCidr(n.nodeIp, n.linkCidr)).to.equal(true);
      expect(inCidr(n.podGateway, n.podCidr)).to.equal(true);
      for (const m of nodes.filter((o) => o !== n)) {
        expect(inCidr(m.nodeIp, n.linkCidr)).to.equal(false);
        expect(inCidr(m.podGateway, n.podCidr)).to.equal(false);
      }
      expect(inCidr(n.nodeIp, CLUSTER_NET.serviceCidr)).to.equal(false);
    }
  });

  it("refuses indexes outside the address plan", () => {
    for (const bad of [0, -1, 1.5, MAX_NODES + 1]) expect(() => clusterNode(bad)).to.throw(/index/);
  });
});
