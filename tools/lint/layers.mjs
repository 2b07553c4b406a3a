// ESLint rule `layers/import-direction`: imports go down the layers, never up or sideways
// into another vertical. The layer of a file is its top-level folder (or the file itself at
// the root); `allowed` lists, per layer, the layers it may import. Type-only imports count
// too: a type import that points up is the start of a circle.
import path from "node:path";

/** Who may import whom, by top-level folder. Lowest layer first. */
export const LAYERS = {
  lib: ["lib"],
  policy: ["lib", "policy"],
  components: ["lib", "components"],
  platform: ["lib", "components", "platform"],
  "index.ts": ["platform"],
  examples: ["lib"],
  cluster: ["lib", "components", "cluster"],
  tools: ["lib", "components", "platform", "cluster", "tools"],
  scripts: ["lib", "components", "platform", "cluster", "tools", "scripts"],
  tests: [
    "lib",
    "components",
    "platform",
    "cluster",
    "tools",
    "scripts",
    "policy",
    "examples",
    "index.ts",
    "tests",
  ],
};

function layerOf(root, file) {
  const rel = path.relative(root, file);
  if (rel.startsWith("..")) return undefined;
  const [top] = rel.split(path.sep);
  return top;
}

/** @type {import("eslint").Rule.RuleModule} */
const importDirection = {
  meta: {
    type: "problem",
    docs: { description: "imports only go down the project's layers (README, code map)" },
    schema: [
      { type: "object", properties: { root: { type: "string" } }, additionalProperties: false },
    ],
    messages: {
      up: "{{from}}/ may not import {{to}}/ ({{spec}}): {{from}}/ imports only {{allowed}}",
      unknown: "{{from}} is in no layer of tools/lint/layers.mjs: add its folder there",
    },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = context.filename;
    const from = layerOf(root, file);
    if (!from || from === "node_modules") return {};
    const allowed = LAYERS[from];
    const check = (node, spec) => {
      if (typeof spec !== "string" || !spec.startsWith(".")) return;
      if (!allowed) {
        context.report({ node, messageId: "unknown", data: { from } });
        return;
      }
      const target = path.resolve(path.dirname(file), spec);
      const to = layerOf(root, target) ?? "outside the repository";
      const toLayer = to.endsWith(".ts") ? to : to.replace(/\.(js|mjs)$/, "");
      if (allowed.includes(toLayer) || allowed.includes(`${toLayer}.ts`)) return;
      context.report({
        node,
        messageId: "up",
        data: { from, to: toLayer, spec, allowed: allowed.map((l) => `${l}/`).join(", ") },
      });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) =>
        node.source.type === "Literal" && check(node.source, node.source.value),
      TSImportType: (node) => {
        const arg = node.argument?.literal ?? node.argument;
        if (arg?.type === "Literal") check(arg, arg.value);
      },
      CallExpression: (node) => {
        if (
          node.callee.type === "Identifier" &&
          node.callee.name === "require" &&
          node.arguments[0]?.type === "Literal"
        )
          check(node.arguments[0], node.arguments[0].value);
      },
    };
  },
};

export default { rules: { "import-direction": importDirection } };
