import { expect } from "chai";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toolchainLayout } from "../../../../tools/toolchain/layout";
import { isExecutable, pathEntries, pluginLines } from "../../../../tools/toolchain/printing";

describe("toolchain: what it prints", () => {
  const l = toolchainLayout({ SPARK_PLATFORM_TOOLCHAIN_DIR: "/t" }, "{}");

  it("puts the CLI's directory, then the MinIO server's, on PATH (no provider plugins)", () => {
    expect(pathEntries(l)).to.equal(
      "/t/pulumi-v3.259.0:/t/minio-v0.0.0-20210516060309-ce3d9dc9faa5-reflect2-v1.0.2",
    );
  });

  it("lists only the plugins whose binary is there, as scripts/pulumi-env.sh reads them", () => {
    const present = new Set([
      "/t/pulumi-resource-kubernetes-v4.25.0/pulumi-resource-kubernetes",
      "/t/pulumi-resource-minio-v0.17.1/pulumi-resource-minio",
    ]);
    expect(pluginLines(l, (file) => present.has(file))).to.deep.equal([
      "resource kubernetes 4.25.0 /t/pulumi-resource-kubernetes-v4.25.0/pulumi-resource-kubernetes",
      "resource minio 0.17.1 /t/pulumi-resource-minio-v0.17.1/pulumi-resource-minio",
    ]);
    expect(pluginLines(l, () => false)).to.deep.equal([]);
  });

  it("counts a binary only when it may be executed", () => {
    const dir = mkdtempSync(join(tmpdir(), "toolchain-printing-"));
    try {
      const file = join(dir, "pulumi-resource-x");
      writeFileSync(file, "#!/bin/sh\n");
      chmodSync(file, 0o644);
      expect(isExecutable(file)).to.equal(false);
      chmodSync(file, 0o755);
      expect(isExecutable(file)).to.equal(true);
      expect(isExecutable(join(dir, "absent"))).to.equal(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
