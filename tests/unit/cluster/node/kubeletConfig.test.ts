import { expect } from "chai";
import { parse } from "yaml";
import { clusterNode, FIRST_NODE } from "../../../../cluster/node/clusterNode";
import { kubeletConfig } from "../../../../cluster/node/kubeletConfig";

const input = {
  pki: "/p",
  containerdSocket: "/s/containerd.sock",
  resolvConf: "/s/resolv.conf",
  reservedCpu: "200m",
  reservedMemory: "1Gi",
  volumePluginDir: "/k/vp",
  podLogsDir: "/s/pod-logs",
};

describe("cluster/node: kubelet configuration", () => {
  it("kubelet runs on cgroup v1 with cgroupfs, our node IP, DNS, and reservations", () => {
    const c = parse(kubeletConfig({ ...input, node: FIRST_NODE })) as Record<string, unknown>;
    expect(c).to.include({
      failCgroupV1: false,
      cgroupDriver: "cgroupfs",
      address: "10.201.0.2",
      podCIDR: "10.244.0.0/24",
    });
    expect(c.clusterDNS).to.deep.equal(["10.96.0.10"]);
    expect(c.containerRuntimeEndpoint).to.equal("unix:///s/containerd.sock");
    expect(c.kubeReserved).to.deep.equal({ cpu: "200m", memory: "1Gi" });
    expect(c).to.include({
      tlsCertFile: "/p/kubelet-serving.crt",
      podLogsDir: "/s/pod-logs",
      volumePluginDir: "/k/vp",
    });
  });

  it("a second node's kubelet binds its own address and pod range", () => {
    const c = parse(kubeletConfig({ ...input, node: clusterNode(2) })) as Record<string, unknown>;
    expect(c).to.include({ address: "10.201.0.6", podCIDR: "10.244.1.0/24" });
    expect(c.clusterDNS).to.deep.equal(["10.96.0.10"]);
    expect(c).to.include({
      tlsCertFile: "/p/kubelet-serving-spark-node-2.crt",
      tlsPrivateKeyFile: "/p/kubelet-serving-spark-node-2.key",
    });
  });

  it("each kubelet has a cgroup root of its own: node 1 the top, a later node its name", () => {
    const first = parse(kubeletConfig({ ...input, node: FIRST_NODE })) as Record<string, unknown>;
    const second = parse(kubeletConfig({ ...input, node: clusterNode(2) })) as typeof first;
    expect(first.cgroupRoot).to.equal("/");
    expect(second.cgroupRoot).to.equal("/spark-node-2");
  });
});
