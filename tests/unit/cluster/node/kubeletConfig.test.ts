import { expect } from "chai";
import { parse } from "yaml";
import {
  cniConflist,
  containerdConfig,
  kubeconfig,
  kubeletConfig,
  kubeProxyConfig,
} from "../../../../cluster/node/kubeletConfig";

describe("cluster: rendered configuration files", () => {
  it("kubelet runs on cgroup v1 with cgroupfs, our node IP, DNS, and reservations", () => {
    const c = parse(
      kubeletConfig({
        pki: "/p",
        containerdSocket: "/s/containerd.sock",
        resolvConf: "/s/resolv.conf",
        reservedCpu: "200m",
        reservedMemory: "1Gi",
        volumePluginDir: "/k/vp",
        podLogsDir: "/s/pod-logs",
      }),
    ) as Record<string, unknown>;
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

  it("containerd keeps its own root/state, restricts oom_score_adj and sandboxes with our pause image", () => {
    const t = containerdConfig({
      root: "/c/root",
      state: "/c/state",
      socket: "/c/state/containerd.sock",
      sandboxImage: "localhost/pause:1",
      cniConfDir: "/c/cni",
      runcRoot: "/c/state/runc",
    });
    expect(t).to.match(/^root = "\/c\/root"$/m);
    expect(t).to.match(/^state = "\/c\/state"$/m);
    expect(t).to.match(/^\s*restrict_oom_score_adj = true$/m);
    expect(t).to.match(/^\s*sandbox_image = "localhost\/pause:1"$/m);
    expect(t).to.match(/^\s*SystemdCgroup = false$/m);
    expect(t).to.match(/^\s*bin_dir = "\/usr\/lib\/cni"$/m);
  });

  it("the bridge CNI serves the pod range with IPAM state in our directory", () => {
    const c = JSON.parse(cniConflist("/c/ipam")) as { plugins: Record<string, unknown>[] };
    const bridge = c.plugins[0]!;
    expect(bridge).to.include({
      type: "bridge",
      bridge: "cni0",
      isGateway: true,
      ipMasq: true,
      hairpinMode: true,
    });
    expect(bridge.ipam).to.deep.include({ type: "host-local", dataDir: "/c/ipam" });
    expect(JSON.stringify(bridge.ipam)).to.contain(
      '"subnet":"10.244.0.0/24","gateway":"10.244.0.1"',
    );
  });

  it("kube-proxy uses iptables mode for the pod range", () => {
    const c = parse(kubeProxyConfig({ kubeconfig: "/p/kp" })) as Record<string, unknown>;
    expect(c).to.include({ mode: "iptables", clusterCIDR: "10.244.0.0/24" });
    expect(c.clientConnection).to.deep.equal({ kubeconfig: "/p/kp" });
  });

  it("kubeconfigs embed the PEM data and point at the API server on the node address", () => {
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
});
