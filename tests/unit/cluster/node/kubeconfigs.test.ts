import { expect } from "chai";
import { parse } from "yaml";
import { layout } from "../../../../cluster/clusterLayout";
import { kubeconfig, kubeconfigFile, KUBECONFIG_USERS } from "../../../../cluster/node/kubeconfigs";

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
    expect(KUBECONFIG_USERS["controller-manager"]).to.equal("https://127.0.0.1:6443");
    expect(KUBECONFIG_USERS.kubelet).to.equal("https://10.201.0.2:6443");
    const l = layout({ SPARK_PLATFORM_CACHE_DIR: "/cache" });
    expect(kubeconfigFile(l, "admin")).to.equal(l.adminKubeconfig);
    expect(kubeconfigFile(l, "kube-proxy")).to.equal(
      "/cache/cluster/state/pki/kube-proxy.kubeconfig",
    );
  });
});
