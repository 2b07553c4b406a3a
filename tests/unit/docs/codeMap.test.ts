import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../../tools/cli/stackFiles";

/** A row of the README's code map: the backticked paths of its first cell, and its text. */
interface CodeMapRow {
  readonly paths: readonly string[];
  readonly text: string;
}

/** The rows of the table under "### Code map", up to the next heading. */
function codeMapRows(readme: string): CodeMapRow[] {
  const start = readme.indexOf("\n### Code map\n");
  if (start === -1) throw new Error('README has no "### Code map" section');
  const end = readme.indexOf("\n#", start + 1);
  return readme
    .slice(start, end === -1 ? undefined : end)
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => {
      const [, first = ""] = line.split("|");
      return { paths: [...first.matchAll(/`([^`]+)`/g)].map((m) => m[1]!), text: line };
    });
}

/**
 * Source folders (two levels deep at most) that hold code, from the tracked files; tests,
 * fixtures and images' build files are not code a newcomer looks up in the map.
 */
function sourceFolders(trackedFiles: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const file of trackedFiles) {
    if (!/\.(ts|cjs|mjs)$/.test(file) || file.startsWith("tests/")) continue;
    const parts = file.split("/");
    if (parts.length < 2) continue;
    folders.add(`${parts[0]}/`);
    if (parts.length > 2) folders.add(`${parts[0]}/${parts[1]}/`);
  }
  return [...folders].sort();
}

/**
 * Folders the map does not lead to. A folder is found when a row names it (or a path in
 * it), or when its parent's row names it by its own name (`actions/` in the `cluster/` row).
 */
function unmappedFolders(rows: readonly CodeMapRow[], folders: readonly string[]): string[] {
  return folders.filter((folder) => {
    const named = rows.some((row) => row.paths.some((p) => p.startsWith(folder)));
    if (named) return false;
    const segments = folder.split("/").filter(Boolean);
    if (segments.length < 2) return true;
    const parent = `${segments[0]}/`;
    const own = `\`${segments[1]}/`;
    return !rows.some((row) => row.paths.includes(parent) && row.text.includes(own));
  });
}

describe("README code map: leads to every source folder, and names only paths that exist", () => {
  const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
  const tracked = execFileSync("git", ["ls-files"], { cwd: PROJECT_ROOT, encoding: "utf8" })
    .split("\n")
    .filter(Boolean);

  it("every folder that holds code is in the map", () => {
    const rows = codeMapRows(readme);
    expect(unmappedFolders(rows, sourceFolders(tracked))).to.deep.equal([]);
  });

  it("every path the map names exists", () => {
    const missing = codeMapRows(readme)
      .flatMap((row) => row.paths)
      .filter((p) => !existsSync(join(PROJECT_ROOT, p)));
    expect(missing).to.deep.equal([]);
  });

  it("negative control: a map without its cluster/ row misses cluster/ and its folders", () => {
    const rows = codeMapRows(readme).filter((row) => !row.paths.includes("cluster/"));
    const missing = unmappedFolders(rows, sourceFolders(tracked));
    expect(missing).to.include("cluster/");
    expect(missing).to.include("cluster/actions/");
  });

  it("negative control: a parent row that does not name a folder leaves it unmapped", () => {
    const rows = [{ paths: ["cluster/"], text: "| `cluster/` | `actions/` only |" }];
    expect(unmappedFolders(rows, ["cluster/", "cluster/actions/", "cluster/node/"])).to.deep.equal([
      "cluster/node/",
    ]);
  });
});
