import { expect } from "chai";
import { layout } from "../../../../cluster/clusterLayout";
import { clusterNode, FIRST_NODE } from "../../../../cluster/node/clusterNode";
import { nodeLayout } from "../../../../cluster/node/nodeLayout";
import { controlPlaneCommands, nodeCommands } from "../../../../cluster/node/processCommands";
import { wrap } from "../../../../cluster/node/procs";

const l = layout({ SPARK_PLATFORM_CACHE_DIR: "/cache" });
const input = { l, bin: (n: string) => `/bin/${n}`, kubeconfig: (u: string) => `/kc/${u}` };

describe("cluster/node: process command lines", () => {
  it("the control plane runs in the node netns; kubelet shares the host's mounts", () => {
    const cp = controlPlaneCommands(input, FIRST_NODE);
    const node = nodeCommands(input, FIRST_NODE, nodeLayout(l, FIRST_NODE));
    const all = [...Object.values(cp), ...Object.values(node)];
    expect(all.map((c) => c.name)).to.deep.equal([
      "etcd",
      "kube-apiserver",
      "kube-controller-manager",
      "kube-scheduler",
      "kubelet",
      "kube-proxy",
      "kube-router",
    ]);
    expect(all.filter((c) => c.where.kind === "host")).to.deep.equal([]);
    expect(wrap(cp.etcd.where, ["x"])).to.deep.equal(["ip", "netns", "exec", "spark-node", "x"]);
    expect(wrap(node.kubelet.where, ["x"])).to.deep.equal([
      "nsenter",
      "--net=/run/netns/spark-node",
      "--",
      "x",
    ]);
    expect(cp.apiServer.argv).to.include.members([
      "--advertise-address=10.201.0.2",
      "--service-cluster-ip-range=10.96.0.0/16",
    ]);
    expect(cp.controllerManager.argv).to.include.members([
      "--cluster-signing-key-file=/cache/cluster/state/pki/ca.key",
      "--cluster-cidr=10.244.0.0/16",
    ]);
    expect(node.kubeRouter.argv).to.include.members([
      "--run-firewall=true",
      "--run-router=false",
      "--run-service-proxy=false",
    ]);
    expect(cp.etcd.argv).to.include("--listen-client-urls=http://127.0.0.1:2379");
    expect(node.kubelet.argv).to.include.members([
      "--config=/cache/cluster/state/kubelet-config.yaml",
      "--root-dir=/cache/cluster/state/kubelet",
      "--node-ip=10.201.0.2",
      "--hostname-override=spark-node",
      "--kubeconfig=/kc/kubelet",
      "--node-labels=spark-platform.io/node-pool=pool-a",
    ]);
  });

  it("a second node's processes run in its own netns with its own identity and files", () => {
    const second = clusterNode(2);
    const node = nodeCommands(input, second, nodeLayout(l, second));
    expect(wrap(node.kubeProxy.where, ["x"])).to.include("spark-node-2");
    expect(node.kubelet.argv).to.include.members([
      "--node-ip=10.201.0.6",
      "--hostname-override=spark-node-2",
      "--root-dir=/cache/cluster/state/nodes/spark-node-2/kubelet",
    ]);
    expect(node.kubeRouter.argv).to.include("--hostname-override=spark-node-2");
    expect(node.kubelet.argv).to.include.members([
      "--kubeconfig=/kc/kubelet-spark-node-2",
      "--node-labels=spark-platform.io/node-pool=pool-b",
    ]);
    expect(Object.values(node).map((c) => c.name)).to.deep.equal([
      "kubelet-spark-node-2",
      "kube-proxy-spark-node-2",
      "kube-router-spark-node-2",
    ]);
  });
});
