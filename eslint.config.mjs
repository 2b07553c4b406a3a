// Lint rules without type information: the one type check is `npm run typecheck`,
// so lint stays fast enough to run on every `npm test`.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import layers from "./tools/lint/layers.mjs";

export default tseslint.config(
  { ignores: ["node_modules/", "bin/", "out/", "**/*.js", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      eqeqeq: ["error", "always"],
      "no-console": "off",
    },
  },
  {
    // Plain CommonJS that bare `node` runs before any TypeScript loads: index.cjs (what
    // Pulumi runs) and tools/launcher/*.cjs.
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        __dirname: "readonly",
        __filename: "readonly",
        process: "readonly",
        console: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The layers (README, code map): lib/ at the bottom, then components/, platform/,
    // tools/ and scripts/; cluster/ and policy/ stand on lib/ only; nothing imports tests/.
    files: ["**/*.ts"],
    plugins: { layers },
    rules: { "layers/import-direction": ["error", { root: import.meta.dirname }] },
  },
);
