import { expect } from "chai";
import { parse } from "yaml";
import { clusterNode, FIRST_NODE } from "../../../../cluster/node/clusterNode";
import { kubeProxyConfig } from "../../../../cluster/node/kubeProxyConfig";

describe("cluster/node: kube-proxy configuration", () => {
  it("kube-proxy uses iptables mode for the cluster's pod range, on the node's address", () => {
    const c = parse(kubeProxyConfig({ node: FIRST_NODE, kubeconfig: "/p/kp" })) as Record<
      string,
      unknown
    >;
    expect(c).to.include({
      mode: "iptables",
      clusterCIDR: "10.244.0.0/16",
      bindAddress: "10.201.0.2",
      hostnameOverride: "spark-node",
    });
    expect(c.clientConnection).to.deep.equal({ kubeconfig: "/p/kp" });
    const second = parse(kubeProxyConfig({ node: clusterNode(2), kubeconfig: "/p/kp" })) as Record<
      string,
      unknown
    >;
    expect(second).to.include({ bindAddress: "10.201.0.6", hostnameOverride: "spark-node-2" });
  });
});
