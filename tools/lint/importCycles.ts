// Import circles between the project's own files, type-only imports included: a circle
// means two files that cannot be understood (or moved) one without the other.
//
//   npx tsx tools/lint/importCycles.ts [folder ...]   (default: the whole repository)
//
// prints one line per circle (`a.ts -> b.ts -> a.ts`) and exits 1 when there is any.
// Edges are the relative specifiers TypeScript itself reads from a file (`import`,
// `import type`, `export ... from`, `import()`, `require()`), resolved as the compiler
// resolves them (`x.ts`, `x/index.ts`).
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

/** File -> the files it imports, both relative to the repository root. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** Files that import one another round a circle. */
export interface ImportCircle {
  /** Every file of the strongly connected group, sorted: each lies on a circle through others. */
  readonly files: readonly string[];
  /** A shortest circle from the group's first file back to itself: `[a, b, a]` is a -> b -> a. */
  readonly circle: readonly string[];
}

const SKIP = new Set(["node_modules", "bin", "out"]);

/** Every .ts file under `dir` (relative to `root`), skipping dependencies and build output. */
function tsFiles(root: string, dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP.has(entry.name) && !entry.name.startsWith(".")) files.push(...tsFiles(root, rel));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
      files.push(rel);
    }
  }
  return files;
}

function resolveImport(root: string, fromFile: string, spec: string): string | undefined {
  const base = path.normalize(path.join(path.dirname(fromFile), spec));
  return [base, `${base}.ts`, path.join(base, "index.ts")].find((candidate) => {
    const full = path.join(root, candidate);
    return candidate.endsWith(".ts") && fs.existsSync(full) && fs.statSync(full).isFile();
  });
}

/**
 * The relative-import graph of the .ts files under `folders` (relative to `root`). An
 * import of a file outside the folders is left out: no circle can pass through it.
 */
export function importGraph(root: string, folders: readonly string[] = ["."]): ImportGraph {
  const files = [...new Set(folders.flatMap((f) => tsFiles(root, f)))].sort();
  const inScope = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(
      fs.readFileSync(path.join(root, file), "utf8"),
      true,
      true,
    );
    const targets = importedFiles
      .map((f) => f.fileName)
      .filter((spec) => spec.startsWith("."))
      .map((spec) => resolveImport(root, file, spec))
      .filter((target): target is string => target !== undefined && inScope.has(target));
    graph.set(file, [...new Set(targets)].sort());
  }
  return graph;
}

/** The strongly connected groups of files that form circles (Tarjan), each with one circle. */
export function importCycles(graph: ImportGraph): ImportCircle[] {
  let counter = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: ImportCircle[] = [];
  const visit = (node: string): void => {
    indexOf.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indexOf.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, indexOf.get(next)!));
      }
    }
    if (low.get(node) !== indexOf.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1 || (graph.get(node) ?? []).includes(node)) {
      const files = group.sort();
      circles.push({ files, circle: shortestCircle(graph, files[0]!, new Set(files)) });
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indexOf.has(node)) visit(node);
  return circles.sort((a, b) => a.files[0]!.localeCompare(b.files[0]!));
}

/** Breadth-first from `start` back to itself, staying inside its group. */
function shortestCircle(graph: ImportGraph, start: string, group: ReadonlySet<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!group.has(next)) continue;
      if (next === start) {
        const circle = [start];
        for (let at = node; at !== start; at = previous.get(at)!) circle.splice(1, 0, at);
        return [...circle, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

if (require.main === module) {
  const root = path.resolve(__dirname, "../..");
  const folders = process.argv.length > 2 ? process.argv.slice(2) : ["."];
  const graph = importGraph(root, folders);
  const circles = importCycles(graph);
  for (const { files, circle } of circles) {
    const others = files.filter((f) => !circle.includes(f));
    console.log(circle.join(" -> ") + (others.length ? ` (with ${others.join(", ")})` : ""));
  }
  console.log(`${graph.size} files, ${circles.length} import circle(s) in ${folders.join(", ")}`);
  process.exit(circles.length === 0 ? 0 : 1);
}
