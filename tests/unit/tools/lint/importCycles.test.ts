import { expect } from "chai";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { importCycles, importGraph, type ImportGraph } from "../../../../tools/lint/importCycles";

const ROOT = join(__dirname, "../../../..");

const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

describe("tools/lint/importCycles", () => {
  it("finds each strongly connected group once, with a shortest circle through it", () => {
    const circles = importCycles(
      graphOf({
        "a.ts": ["b.ts"],
        "b.ts": ["c.ts", "a.ts"],
        "c.ts": ["a.ts"],
        "d.ts": ["a.ts", "d.ts"],
        "e.ts": ["a.ts"],
      }),
    );
    expect(circles).to.deep.equal([
      { files: ["a.ts", "b.ts", "c.ts"], circle: ["a.ts", "b.ts", "a.ts"] },
      { files: ["d.ts"], circle: ["d.ts", "d.ts"] },
    ]);
  });

  it("finds none in a graph that only points down", () => {
    const graph = graphOf({ "a.ts": ["b.ts", "c.ts"], "b.ts": ["c.ts"], "c.ts": [] });
    expect(importCycles(graph)).to.deep.equal([]);
  });

  describe("importGraph", () => {
    let root: string;
    const write = (file: string, text: string) => {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    };
    before(() => {
      root = mkdtempSync(join(tmpdir(), "import-cycles-"));
      write("lib/result.ts", 'import type { Row } from "./checks";\nexport type R = Row;\n');
      write(
        "lib/checks.ts",
        [
          'export { x } from "./reexported";',
          'import { y } from "./folder";',
          'type Lazy = import("./lazy").T;',
          'const z = require("./required");',
          'import { external } from "yaml";',
          'import { outside } from "../elsewhere/far";',
          "export type Row = string;",
        ].join("\n"),
      );
      write("lib/reexported.ts", "export const x = 1;\n");
      write("lib/folder/index.ts", 'import type { R } from "../result";\nexport const y = 1;\n');
      write("lib/lazy.ts", "export type T = 1;\n");
      write("lib/required.ts", "export const z = 1;\n");
      write("elsewhere/far.ts", 'import "../lib/checks";\n');
      write("node_modules/dep/index.ts", 'import "../../lib/checks";\n');
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    it("reads type-only, re-export, dynamic and require imports, resolving folders to index.ts", () => {
      const graph = importGraph(root, ["lib"]);
      expect(graph.get("lib/checks.ts")).to.deep.equal([
        "lib/folder/index.ts",
        "lib/lazy.ts",
        "lib/reexported.ts",
        "lib/required.ts",
      ]);
      expect(graph.get("lib/result.ts")).to.deep.equal(["lib/checks.ts"]);
      expect([...graph.keys()]).to.not.include("elsewhere/far.ts");
      expect(importCycles(graph).map((c) => c.circle)).to.deep.equal([
        ["lib/checks.ts", "lib/folder/index.ts", "lib/result.ts", "lib/checks.ts"],
      ]);
    });

    it("follows circles through every folder it is given, and skips node_modules", () => {
      const graph = importGraph(root, ["."]);
      expect(graph.get("elsewhere/far.ts")).to.deep.equal(["lib/checks.ts"]);
      expect([...graph.keys()].some((f) => f.startsWith("node_modules"))).to.equal(false);
    });
  });

  it("the repository has no import circle, type-only imports included", () => {
    const circles = importCycles(importGraph(ROOT, ["."]));
    expect(circles.map((c) => c.circle.join(" -> "))).to.deep.equal([]);
  });
});
