import { expect } from "chai";
import { kernelProblems, missingPackages } from "../../../cluster/hostPrerequisites";

describe("cluster: host prerequisites", () => {
  it("reads dpkg status and kernel config", () => {
    const dpkg =
      "containerd install ok installed\nipset deinstall ok config-files\nrunc install ok installed\n";
    expect(missingPackages(dpkg, ["containerd", "runc", "ipset", "conntrack"])).to.deep.equal([
      "ipset",
      "conntrack",
    ]);
    expect(kernelProblems("CONFIG_BRIDGE=y\nCONFIG_VETH=m\n# CONFIG_IP_SET is not set\n"))
      .to.include("CONFIG_IP_SET")
      .and.not.include("CONFIG_VETH");
  });
});
