import { expect } from "chai";
import { parseEngineArgs } from "../../../../tools/engine/args";

describe("engine harness: command line", () => {
  it("parses a preview with the policy pack", () => {
    expect(parseEngineArgs(["preview", "--stack", "dev", "--policy-pack"])).to.deep.equal({
      command: "preview",
      stack: "dev",
      policyPack: true,
      excludeProtected: false,
      offlineBackends: undefined,
    });
    expect(parseEngineArgs(["up", "--stack=prod", "--no-offline-backends"])).to.deep.include({
      stack: "prod",
      offlineBackends: false,
    });
  });

  it("refuses unknown commands and arguments, and a missing stack, naming them", () => {
    expect(parseEngineArgs(["apply", "--stack", "dev"]))
      .to.have.property("error")
      .that.includes("apply");
    expect(parseEngineArgs(["up", "--stack", "dev", "--yes"]))
      .to.have.property("error")
      .that.includes("--yes");
    expect(parseEngineArgs(["up"]))
      .to.have.property("error")
      .that.includes("--stack");
    expect(parseEngineArgs(["destroy", "--stack", "dev", "--policy-pack"]))
      .to.have.property("error")
      .that.includes("destroy");
  });

  it("passes --exclude-protected to destroy only, so a protected stack can be torn down", () => {
    expect(
      parseEngineArgs(["destroy", "--stack", "local-prod", "--exclude-protected"]),
    ).to.deep.include({
      command: "destroy",
      excludeProtected: true,
    });
    expect(parseEngineArgs(["destroy", "--stack", "local-prod"])).to.deep.include({
      excludeProtected: false,
    });
    expect(parseEngineArgs(["up", "--stack", "local-prod", "--exclude-protected"]))
      .to.have.property("error")
      .that.includes("--exclude-protected applies to destroy");
  });
});
