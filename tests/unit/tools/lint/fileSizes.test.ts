import { expect } from "chai";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { LINE_LIMIT, oversizedFiles } from "../../../../tools/lint/fileSizes";

const ROOT = join(__dirname, "../../../..");

describe("tools/lint/fileSizes", () => {
  it(`no non-test source file is over ${LINE_LIMIT} lines (data catalogs excepted)`, () => {
    expect(oversizedFiles(ROOT).map((f) => `${f.file} (${f.lines})`)).to.deep.equal([]);
  });

  it("finds an oversized file, and skips tests, dependencies and catalogs", () => {
    const root = mkdtempSync(join(tmpdir(), "file-sizes-"));
    const write = (file: string, lines: number) => {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), "x\n".repeat(lines));
    };
    try {
      write("lib/long.ts", 401);
      write("lib/exact.ts", 400);
      write("scripts/long.sh", 500);
      write("tests/unit/long.test.ts", 900);
      write("node_modules/dep/index.ts", 900);
      write("lib/jars/catalog.ts", 900);
      expect(oversizedFiles(root)).to.deep.equal([
        { file: "lib/long.ts", lines: 401 },
        { file: "scripts/long.sh", lines: 500 },
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
