import { expect } from "chai";
import { layout } from "../../../../cluster/clusterLayout";
import { clusterNode, FIRST_NODE } from "../../../../cluster/node/clusterNode";
import { nodeLayout } from "../../../../cluster/node/nodeLayout";

const l = layout({ SPARK_PLATFORM_CACHE_DIR: "/cache" });

describe("cluster/node: node layout", () => {
  it("node 1 keeps containerd, kubelet and pod logs where they always were", () => {
    expect(nodeLayout(l, FIRST_NODE)).to.deep.equal({
      containerdDir: "/cache/cluster/state/containerd",
      containerdRoot: "/cache/cluster/state/containerd/root",
      containerdState: "/cache/cluster/state/containerd/state",
      containerdConfig: "/cache/cluster/state/containerd/config.toml",
      containerdSocket: "/cache/cluster/state/containerd/state/containerd.sock",
      cniConfDir: "/cache/cluster/state/containerd/cni/net.d",
      ipamDir: "/cache/cluster/state/containerd/cni/ipam",
      runcRoot: "/cache/cluster/state/containerd/state/runc",
      kubeletRoot: "/cache/cluster/state/kubelet",
      podLogsDir: "/cache/cluster/state/pod-logs",
      kubeletConfig: "/cache/cluster/state/kubelet-config.yaml",
      kubeProxyConfig: "/cache/cluster/state/kube-proxy-config.yaml",
      resolvConf: "/cache/cluster/state/node-resolv.conf",
      volumesDir: "/cache/cluster/state/volumes",
    });
  });

  it("a second node has every directory and file of its own", () => {
    const first = Object.values(nodeLayout(l, FIRST_NODE));
    const second = nodeLayout(l, clusterNode(2));
    expect(second.kubeletRoot).to.equal("/cache/cluster/state/nodes/spark-node-2/kubelet");
    for (const p of Object.values(second)) {
      expect(p.startsWith("/cache/cluster/state/nodes/spark-node-2/")).to.equal(true);
      expect(first).to.not.include(p);
    }
  });
});
