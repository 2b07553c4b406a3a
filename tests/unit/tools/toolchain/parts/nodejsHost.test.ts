import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  hostBuildArgs,
  hostSources,
  withoutRunPluginStub,
} from "../../../../../tools/toolchain/parts/nodejsHost";

// The shape of sdk/v3@v3.68.0's nodejs/cmd/pulumi-language-nodejs/main.go around the stub.
const MAIN_GO = [
  "package main",
  "",
  "func (host *nodeLanguageHost) About(ctx context.Context, req *pbempty.Empty) (*pulumirpc.AboutResponse, error) {",
  "\treturn &pulumirpc.AboutResponse{}, nil",
  "}",
  "",
  "func (host *nodeLanguageHost) RunPlugin(",
  "\treq *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,",
  ") error {",
  '\treturn errors.New("not supported")',
  "}",
  "",
  "func (host *nodeLanguageHost) GenerateProject() error {",
  "\treturn nil",
  "}",
  "",
].join("\n");

describe("toolchain: the Node.js language host", () => {
  it("removes the RunPlugin stub from its signature to its closing brace, nothing else", () => {
    const patched = withoutRunPluginStub(MAIN_GO);
    expect(patched).to.equal(
      MAIN_GO.replace(
        [
          "func (host *nodeLanguageHost) RunPlugin(",
          "\treq *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,",
          ") error {",
          '\treturn errors.New("not supported")',
          "}",
          "",
        ].join("\n"),
        "",
      ),
    );
    expect(patched).to.contain("GenerateProject");
    expect(patched).not.to.contain("RunPlugin");
  });

  it("refuses a main.go without the stub (the host changed: the patch must be redone)", () => {
    expect(withoutRunPluginStub("package main\n\nfunc main() {}\n")).to.equal(undefined);
  });

  it("copies the host's sources, not its tests or Windows-only files", () => {
    expect(
      hostSources([
        "proxy_windows.go",
        "main.go",
        "main_test.go",
        "proxy_unix.go",
        "proxy.go",
        "testdata",
        ".x.go",
      ]),
    ).to.deep.equal(["main.go", "proxy.go", "proxy_unix.go"]);
  });

  it("stamps the sdk version it was built from", () => {
    expect(hostBuildArgs("/w/pulumi-language-nodejs")).to.deep.equal([
      "build",
      "-ldflags",
      "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v3.68.0",
      "-o",
      "/w/pulumi-language-nodejs",
      ".",
    ]);
  });

  it("adds a RunPlugin with the signature of the stub it replaces", () => {
    const added = readFileSync(
      join(__dirname, "../../../../../tools/toolchain/parts/runplugin_spark_platform.go"),
      "utf8",
    );
    expect(added).to.match(/^package main$/m);
    expect(added).to.contain(
      "func (host *nodeLanguageHost) RunPlugin(\n\treq *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,\n) error {",
    );
  });
});
