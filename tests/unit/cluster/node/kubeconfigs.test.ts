import { expect } from "chai";
import { parse } from "yaml";
import { layout } from "../../../../cluster/clusterLayout";
import { clusterNode, clusterNodes } from "../../../../cluster/node/clusterNode";
import { kubeconfig, kubeconfigFile, kubeconfigUsers } from "../../../../cluster/node/kubeconfigs";

describe("cluster/node: kubeconfigs", () => {
  it("embed the PEM data and point at the API server on the node address", () => {
    const k = parse(kubeconfig({ user: "admin", ca: "CA", cert: "CERT", key: "KEY" })) as {
      clusters: { cluster: Record<string, string> }[];
      users: { user: Record<string, string> }[];
    };
    expect(k.clusters[0]!.cluster.server).to.equal("https://10.201.0.2:6443");
    expect(
      Buffer.from(k.clusters[0]!.cluster["certificate-authority-data"]!, "base64").toString(),
    ).to.equal("CA");
    expect(Buffer.from(k.users[0]!.user["client-key-data"]!, "base64").toString()).to.equal("KEY");
  });

  it("the controllers use the API server's loopback; admin's file is the one `kubeconfig` prints", () => {
    const users = kubeconfigUsers(clusterNodes(1));
    expect(users["controller-manager"]).to.equal("https://127.0.0.1:6443");
    expect(users.kubelet).to.equal("https://10.201.0.2:6443");
    const l = layout({ SPARK_PLATFORM_CACHE_DIR: "/cache" });
    expect(kubeconfigFile(l, "admin")).to.equal(l.adminKubeconfig);
    expect(kubeconfigFile(l, "kube-proxy")).to.equal(
      "/cache/cluster/state/pki/kube-proxy.kubeconfig",
    );
  });

  it("every node's kubelet has a kubeconfig of its own; kube-proxy and kube-router share one", () => {
    const users = Object.keys(kubeconfigUsers(clusterNodes(2)));
    expect(users).to.include.members(["kubelet", "kubelet-spark-node-2", "kube-proxy"]);
    expect(users.filter((u) => u.startsWith("kube-proxy"))).to.deep.equal(["kube-proxy"]);
    expect(kubeconfigUsers([clusterNode(1)])).to.not.have.property("kubelet-spark-node-2");
  });
});
