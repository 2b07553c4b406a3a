import { expect } from "chai";
import { finish, PREPARE, START } from "../../../../cluster/commands/upCommand";

describe("cluster/commands: up's actions", () => {
  it("run in the order of the phases, the stand-ins only when wanted", () => {
    expect(PREPARE.map((a) => a.name)).to.deep.equal(["prerequisites", "build"]);
    expect(START.map((a) => a.name)).to.deep.equal([
      "clear leftovers",
      "node network",
      "certificates",
      "core images",
      "shared services",
      "etcd",
      "kube-apiserver",
      "controller-manager, scheduler",
      "containerd + images",
      "kubelet (node Ready)",
      "kube-proxy, kube-router",
      "coredns",
      "spark-infra services",
      "DNS + services from a pod",
    ]);
    expect(finish({ restart: false, standIns: true }).map((a) => a.name)).to.deep.equal([
      "stand-in images",
      "jar mirror",
    ]);
    expect(finish({ restart: false, standIns: false }).map((a) => a.name)).to.deep.equal([
      "jar mirror",
    ]);
  });

  it("the shared services start beside the control plane and are awaited before their Services", () => {
    const names = START.map((a) => a.name);
    const background = START.filter((a) => a.background).map((a) => a.name);
    expect(background).to.deep.equal(["shared services"]);
    const awaiting = START.filter((a) => a.awaits?.includes("shared services"));
    expect(awaiting.map((a) => a.name)).to.deep.equal(["spark-infra services"]);
    expect(names.indexOf("shared services")).to.be.below(names.indexOf("etcd"));
    expect(new Set(names).size).to.equal(names.length);
  });
});
