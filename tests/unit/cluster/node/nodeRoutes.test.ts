import { expect } from "chai";
import { CLUSTER_NET } from "../../../../cluster/addressPlan";
import { inCidr } from "../../../../cluster/cleanup/leftoverParsing";
import { clusterNode, FIRST_NODE } from "../../../../cluster/node/clusterNode";
import {
  podMasqueradeRule,
  routesInControlPlane,
  routesInNode,
} from "../../../../cluster/node/nodeRoutes";

const second = clusterNode(2);
const dst = (routes: string[][]) => routes.map((r) => r[2]);

describe("cluster/node: routes and the pods' masquerade rule", () => {
  it("node 1 needs no route of its own (its link holds the shared services' address)", () => {
    expect(routesInNode(FIRST_NODE, FIRST_NODE)).to.deep.equal([]);
    expect(routesInControlPlane(FIRST_NODE)).to.deep.equal([]);
  });

  it("node 2 reaches the shared services over its own link, the API server and pods over the peer link", () => {
    expect(routesInNode(second, FIRST_NODE)).to.deep.equal([
      ["route", "replace", "10.201.0.1/32", "via", "10.201.0.5", "dev", "spk-node2"],
      ["route", "replace", "10.201.0.2/32", "via", "10.201.1.5", "dev", "spk-peer1"],
      ["route", "replace", "10.244.0.0/16", "via", "10.201.1.5", "dev", "spk-peer1"],
    ]);
  });

  it("node 1 reaches node 2's pods and its kubelet's address over the peer link", () => {
    expect(routesInControlPlane(second)).to.deep.equal([
      ["route", "replace", "10.244.1.0/24", "via", "10.201.1.6", "dev", "spk-peer2"],
      ["route", "replace", "10.201.0.6/32", "via", "10.201.1.6", "dev", "spk-peer2"],
    ]);
  });

  it("no route leads off the machine: no default, only our ranges and node 1's addresses", () => {
    for (const n of [2, 3, 10].map(clusterNode)) {
      for (const d of [...dst(routesInNode(n, FIRST_NODE)), ...dst(routesInControlPlane(n))]) {
        expect(d).to.not.equal("default");
        const ip = d!.split("/")[0]!;
        expect(
          inCidr(ip, CLUSTER_NET.nodeLinkRange) || inCidr(ip, CLUSTER_NET.podRange),
          d,
        ).to.equal(true);
      }
    }
  });

  it("masquerades a node's pods only when they leave the cluster's pod range", () => {
    const rule = podMasqueradeRule(second);
    expect(rule.slice(0, 6)).to.deep.equal([
      "POSTROUTING",
      "-s",
      "10.244.1.0/24",
      "!",
      "-d",
      "10.244.0.0/16",
    ]);
    expect(rule.at(-1)).to.equal("MASQUERADE");
    expect(podMasqueradeRule(FIRST_NODE)).to.include("10.244.0.0/24");
  });
});
