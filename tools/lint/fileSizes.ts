// Source files over the line limit: a file that long usually does two things. Test code
// and data catalogs (pinned artifacts, listed facts) are exempt.
//
//   npx tsx tools/lint/fileSizes.ts   prints each oversized file and exits 1 when any
import fs from "node:fs";
import path from "node:path";

export const LINE_LIMIT = 400;

/** Files that are data, not logic: their length is the length of the list they hold. */
export const DATA_CATALOGS: readonly string[] = ["lib/jars/catalog.ts"];

const SOURCE = /\.(ts|mjs|cjs|js|sh|go|py)$/;
const SKIP = new Set(["node_modules", "bin", "out", ".git", "tests"]);

export interface OversizedFile {
  readonly file: string;
  readonly lines: number;
}

/** Every non-test source file under `root` longer than `limit` lines, catalogs excepted. */
export function oversizedFiles(root: string, limit = LINE_LIMIT): OversizedFile[] {
  const found: OversizedFile[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name) && !entry.name.startsWith(".")) walk(rel);
      } else if (SOURCE.test(entry.name) && !DATA_CATALOGS.includes(rel)) {
        const text = fs.readFileSync(path.join(root, rel), "utf8");
        const lines = text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
        if (lines > limit) found.push({ file: rel, lines });
      }
    }
  };
  walk("");
  return found.sort((a, b) => a.file.localeCompare(b.file));
}

if (require.main === module) {
  const found = oversizedFiles(path.resolve(__dirname, "..", ".."));
  for (const f of found) console.log(`${f.file}: ${f.lines} lines (limit ${LINE_LIMIT})`);
  process.exit(found.length ? 1 : 0);
}
