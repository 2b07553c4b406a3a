import { expect } from "chai";
import { clusterNode, clusterNodes, FIRST_NODE } from "../../../../cluster/node/clusterNode";
import {
  certPlan,
  extensions,
  kubeletCertNames,
  leavesToIssue,
  specDigest,
  subject,
} from "../../../../cluster/node/pki";

describe("cluster/node: certificate plan", () => {
  const plan = certPlan(FIRST_NODE, [FIRST_NODE]);
  const byName = (n: string) => plan.find((c) => c.name === n)!;

  it("the API server's serving cert names every address clients use", () => {
    const api = byName("apiserver");
    expect(api.ips).to.have.members(["10.201.0.2", "10.96.0.1", "127.0.0.1"]);
    expect(api.dns).to.include.members([
      "kubernetes",
      "kubernetes.default",
      "kubernetes.default.svc",
      "kubernetes.default.svc.cluster.local",
    ]);
    const ext = extensions(api);
    expect(ext).to.contain("extendedKeyUsage = serverAuth\n");
    expect(ext).to.contain("IP:10.96.0.1");
    expect(ext).to.contain("DNS:kubernetes.default.svc.cluster.local");
  });

  it("client certs carry the identities RBAC and the Node authorizer expect", () => {
    expect(subject(byName("kubelet"))).to.equal("/O=system:nodes/CN=system:node:spark-node");
    expect(subject(byName("admin"))).to.equal("/O=system:masters/CN=kubernetes-admin");
    expect(byName("controller-manager").cn).to.equal("system:kube-controller-manager");
    expect(byName("scheduler").cn).to.equal("system:kube-scheduler");
    expect(byName("kube-proxy").cn).to.equal("system:kube-proxy");
    expect(extensions(byName("kube-proxy")))
      .to.contain("clientAuth")
      .and.not.contain("subjectAltName");
    expect(byName("kubelet-serving").ips).to.include("10.201.0.2");
  });

  it("two nodes: each kubelet has identities of its own, everything else is the same plan", () => {
    const two = certPlan(FIRST_NODE, clusterNodes(2));
    const by = (n: string) => two.find((c) => c.name === n)!;
    expect(kubeletCertNames(clusterNode(2))).to.deep.equal({
      client: "kubelet-spark-node-2",
      serving: "kubelet-serving-spark-node-2",
    });
    expect(subject(by("kubelet-spark-node-2"))).to.equal(
      "/O=system:nodes/CN=system:node:spark-node-2",
    );
    expect(by("kubelet-serving-spark-node-2").ips).to.deep.equal(["10.201.0.6", "127.0.0.1"]);
    expect(new Set(two.map((c) => c.name)).size).to.equal(two.length);
    expect(two.filter((c) => !c.name.endsWith("spark-node-2"))).to.deep.equal(plan);
  });

  it("issues only what is new or changed: a joining node's kubelet, or a leaf whose spec moved", () => {
    const two = certPlan(FIRST_NODE, clusterNodes(2));
    const issued = new Map(plan.map((c) => [c.name, specDigest(c)]));
    expect(leavesToIssue(plan, (n) => issued.get(n))).to.deep.equal([]);
    expect(leavesToIssue(two, (n) => issued.get(n)).map((c) => c.name)).to.deep.equal([
      "kubelet-spark-node-2",
      "kubelet-serving-spark-node-2",
    ]);
    const moved = plan.map((c) =>
      c.name === "apiserver" ? { ...c, ips: [...c.ips, "10.0.0.9"] } : c,
    );
    expect(leavesToIssue(moved, (n) => issued.get(n)).map((c) => c.name)).to.deep.equal([
      "apiserver",
    ]);
    expect(leavesToIssue(plan, () => undefined)).to.have.length(plan.length);
  });

  it("escapes slashes in subjects", () => {
    expect(subject({ cn: "a/b" })).to.equal("/CN=a\\/b");
  });
});
