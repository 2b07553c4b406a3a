import { expect } from "chai";
import { cliBuildArgs, cliGetArgs, cliGoMod } from "../../../../../tools/toolchain/parts/cli";

describe("toolchain: the pulumi CLI", () => {
  it("builds in a wrapper with pkg/v3's module replaces", () => {
    expect(cliGoMod()).to.equal(
      [
        "module spark-platform/toolchain/pulumi-cli",
        "",
        "go 1.25.11",
        "",
        "replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e",
        "",
      ].join("\n"),
    );
  });

  it("requires pkg/v3 and sdk/v3 at the same tag", () => {
    expect(cliGetArgs()).to.deep.equal([
      "get",
      "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v3.259.0",
      "github.com/pulumi/pulumi/sdk/v3@v3.259.0",
    ]);
  });

  it("builds with upstream's tags and stamps the version", () => {
    expect(cliBuildArgs("/w/pulumi")).to.deep.equal([
      "build",
      "-tags",
      "osusergo,grpcnotrace",
      "-ldflags",
      "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v3.259.0",
      "-o",
      "/w/pulumi",
      "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    ]);
  });
});
