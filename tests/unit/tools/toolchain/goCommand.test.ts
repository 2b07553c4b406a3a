import { expect } from "chai";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { goOnPath, moduleDirOf, ownSumsEnv } from "../../../../tools/toolchain/goCommand";

describe("toolchain: running go", () => {
  it("reads the module directory of a -json listing", () => {
    const json = JSON.stringify(
      {
        Path: "github.com/minio/minio",
        Version: "v0.0.0-20210516060309-ce3d9dc9faa5",
        Dir: "/go/pkg/mod/github.com/minio/minio@v0.0.0-20210516060309-ce3d9dc9faa5",
        GoMod: "/go/pkg/mod/cache/download/github.com/minio/minio/@v/x.mod",
      },
      null,
      "\t",
    );
    expect(moduleDirOf(json)).to.equal(
      "/go/pkg/mod/github.com/minio/minio@v0.0.0-20210516060309-ce3d9dc9faa5",
    );
    // A failed download lists an Error and no Dir.
    expect(moduleDirOf('{"Path":"x","Error":"403 Forbidden"}')).to.equal(undefined);
    expect(moduleDirOf("")).to.equal(undefined);
  });

  it("vouches for a module through its own go.sum: GONOSUMDB first, -mod=mod last", () => {
    expect(ownSumsEnv({ HOME: "/h" }, "github.com/minio/minio")).to.deep.equal({
      HOME: "/h",
      GONOSUMDB: "github.com/minio/minio",
      GOFLAGS: "-mod=mod",
    });
    const env = ownSumsEnv(
      { GONOSUMDB: "example.com/x", GOFLAGS: "-buildvcs=false" },
      "github.com/pulumi/pulumi-kubernetes",
    );
    expect(env.GONOSUMDB).to.equal("github.com/pulumi/pulumi-kubernetes,example.com/x");
    expect(env.GOFLAGS).to.equal("-buildvcs=false -mod=mod");
    expect(ownSumsEnv({ GONOSUMDB: "", GOFLAGS: "" }, "m")).to.include({
      GONOSUMDB: "m",
      GOFLAGS: "-mod=mod",
    });
  });

  it("finds an executable go on PATH, not a directory or a plain file of that name", () => {
    const dir = mkdtempSync(join(tmpdir(), "toolchain-go-"));
    try {
      const [withDir, withFile, withGo] = ["a", "b", "c"].map((d) => join(dir, d));
      mkdirSync(join(withDir!, "go"), { recursive: true });
      mkdirSync(withFile!);
      writeFileSync(join(withFile!, "go"), "");
      mkdirSync(withGo!);
      writeFileSync(join(withGo!, "go"), "#!/bin/sh\n");
      chmodSync(join(withGo!, "go"), 0o755);
      expect(goOnPath({ PATH: `${withDir}:${withFile}` })).to.equal(false);
      expect(goOnPath({ PATH: `${withDir}:${withFile}:${withGo}` })).to.equal(true);
      expect(goOnPath({})).to.equal(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
