import { expect } from "chai";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  copyWritable,
  installBinary,
  newWrapper,
  wrapperGoMod,
} from "../../../../tools/toolchain/wrapper";

describe("toolchain: wrapper modules", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "toolchain-wrapper-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes an empty wrapper module's go.mod", () => {
    expect(wrapperGoMod("spark-platform/toolchain/probe", "1.26")).to.equal(
      "module spark-platform/toolchain/probe\n\ngo 1.26\n",
    );
  });

  it("starts each wrapper from an empty directory", () => {
    const work = join(dir, "work", "probe");
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, "stale.go"), "package main\n");
    newWrapper(work, "spark-platform/toolchain/probe", "1.25.11");
    expect(readFileSync(join(work, "go.mod"), "utf8")).to.equal(
      "module spark-platform/toolchain/probe\n\ngo 1.25.11\n",
    );
    expect(existsSync(join(work, "stale.go"))).to.equal(false);
  });

  it("copies read-only module files and makes them writable by their owner", () => {
    const from = join(dir, "modcache");
    mkdirSync(from);
    writeFileSync(join(from, "go.mod"), "module m\n");
    chmodSync(join(from, "go.mod"), 0o444);
    copyWritable(from, ["go.mod"], dir);
    expect(readFileSync(join(dir, "go.mod"), "utf8")).to.equal("module m\n");
    expect(statSync(join(dir, "go.mod")).mode & 0o777).to.equal(0o644);
  });

  it("installs a built binary under its name, leaving no temporary file", () => {
    const built = join(dir, "work-minio");
    writeFileSync(built, "binary");
    chmodSync(built, 0o755);
    const dest = join(dir, "minio-v1");
    installBinary(built, dest, "minio");
    expect(readFileSync(join(dest, "minio"), "utf8")).to.equal("binary");
    expect(statSync(join(dest, "minio")).mode & 0o777).to.equal(0o755);
    expect(existsSync(built)).to.equal(false);
    expect(existsSync(join(dest, "minio.tmp"))).to.equal(false);
  });
});
