import { expect } from "chai";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DYNAMIC_PROVIDER_LAUNCHER, linkBundled } from "../../../../tools/toolchain/bundled";
import { toolchainLayout } from "../../../../tools/toolchain/layout";

describe("toolchain: plugins bundled next to the CLI", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "toolchain-bundled-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const executable = (file: string) => {
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, "#!/bin/sh\n");
    chmodSync(file, 0o755);
  };

  it("links the language host and writes the dynamic provider launcher", () => {
    const l = toolchainLayout({ SPARK_PLATFORM_TOOLCHAIN_DIR: dir }, "{}");
    executable(join(l.cliDir, "pulumi"));
    executable(join(l.langhostDir, "pulumi-language-nodejs"));
    executable(join(l.cliDir, "pulumi-analyzer-policy"));
    linkBundled(l);
    linkBundled(l); // again: an existing link is replaced
    expect(readlinkSync(join(l.cliDir, "pulumi-language-nodejs"))).to.equal(
      join(l.langhostDir, "pulumi-language-nodejs"),
    );
    const launcher = join(l.cliDir, "pulumi-resource-pulumi-nodejs");
    expect(readFileSync(launcher, "utf8")).to.equal(DYNAMIC_PROVIDER_LAUNCHER);
    expect(statSync(launcher).mode & 0o777).to.equal(0o755);
    expect(DYNAMIC_PROVIDER_LAUNCHER).to.contain("@pulumi/pulumi/cmd/dynamic-provider");
    // Policy packs go through the host's RunPlugin, never a separate analyzer launcher.
    expect(existsSync(join(l.cliDir, "pulumi-analyzer-policy"))).to.equal(false);
    expect(existsSync(`${launcher}.tmp`)).to.equal(false);
  });

  it("does nothing before the CLI is built", () => {
    const l = toolchainLayout({ SPARK_PLATFORM_TOOLCHAIN_DIR: dir }, "{}");
    executable(join(l.langhostDir, "pulumi-language-nodejs"));
    linkBundled(l);
    expect(existsSync(l.cliDir)).to.equal(false);
  });
});
