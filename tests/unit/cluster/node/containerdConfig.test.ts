import { expect } from "chai";
import { clusterNode, FIRST_NODE } from "../../../../cluster/node/clusterNode";
import { cniConflist, containerdConfig } from "../../../../cluster/node/containerdConfig";

describe("cluster/node: containerd and CNI configuration", () => {
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

  it("the bridge CNI serves the node's pod range with IPAM state in our directory", () => {
    const c = JSON.parse(cniConflist(FIRST_NODE, "/c/ipam")) as {
      plugins: Record<string, unknown>[];
    };
    const bridge = c.plugins[0]!;
    expect(bridge).to.include({
      type: "bridge",
      bridge: "cni0",
      isGateway: true,
      ipMasq: false,
      hairpinMode: true,
    });
    expect(bridge.ipam).to.deep.include({ type: "host-local", dataDir: "/c/ipam" });
    expect(JSON.stringify(bridge.ipam)).to.contain(
      '"subnet":"10.244.0.0/24","gateway":"10.244.0.1"',
    );
    const second = cniConflist(clusterNode(2), "/c/ipam");
    expect(second).to.contain('"subnet": "10.244.1.0/24"').and.contain('"bridge": "cni1"');
  });

  it("leaves masquerading to the node's own rule, which spares the other nodes' pods", () => {
    for (const node of [FIRST_NODE, clusterNode(2)]) {
      const c = JSON.parse(cniConflist(node, "/c/ipam")) as { plugins: { ipMasq?: boolean }[] };
      expect(c.plugins[0]!.ipMasq).to.equal(false);
    }
  });
});
