import { expect } from "chai";
import { providerBuildArgs, sdkEditArgs } from "../../../../../tools/toolchain/parts/kubernetes";

describe("toolchain: the kubernetes provider", () => {
  it("requires the sdk tag instead of provider/go.mod's ../sdk replace", () => {
    expect(sdkEditArgs("4.25.0")).to.deep.equal([
      "mod",
      "edit",
      "-dropreplace",
      "github.com/pulumi/pulumi-kubernetes/sdk/v4",
      "-require",
      "github.com/pulumi/pulumi-kubernetes/sdk/v4@v4.25.0",
    ]);
  });

  it("stamps the npm version (without v) into the provider", () => {
    expect(providerBuildArgs("4.25.0", "/w/pulumi-resource-kubernetes")).to.deep.equal([
      "build",
      "-ldflags",
      "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=4.25.0",
      "-o",
      "/w/pulumi-resource-kubernetes",
      ".",
    ]);
  });
});
