import { expect } from "chai";
import { clusterNode, FIRST_NODE } from "../../../../cluster/node/clusterNode";
import { certPlan, extensions, planDigest, subject } from "../../../../cluster/node/pki";

describe("cluster/node: certificate plan", () => {
  const plan = certPlan(FIRST_NODE, FIRST_NODE);
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

  it("the digest changes with the plan, so an outdated PKI is re-issued", () => {
    const changed = plan.map((c) =>
      c.name === "apiserver" ? { ...c, ips: [...c.ips, "10.0.0.9"] } : c,
    );
    expect(planDigest(plan)).to.equal(planDigest(certPlan(FIRST_NODE, FIRST_NODE)));
    expect(planDigest(changed)).to.not.equal(planDigest(plan));
  });

  it("a second node gets kubelet identities of its own; the API server's stay", () => {
    const second = certPlan(FIRST_NODE, clusterNode(2));
    const by = (n: string) => second.find((c) => c.name === n)!;
    expect(subject(by("kubelet"))).to.equal("/O=system:nodes/CN=system:node:spark-node-2");
    expect(by("kubelet-serving").ips).to.deep.equal(["10.201.0.6", "127.0.0.1"]);
    expect(by("apiserver")).to.deep.equal(byName("apiserver"));
  });

  it("escapes slashes in subjects", () => {
    expect(subject({ cn: "a/b" })).to.equal("/CN=a\\/b");
  });
});
