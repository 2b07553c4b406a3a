// tools/render/yaml.ts writes manifests byte for byte as the `yaml` package does.
import { expect } from "chai";
import fc from "fast-check";
import { stringify } from "yaml";
import { manifestYaml } from "../../../../tools/render/yaml";
import { generatedStack } from "../../../../tools/bench/generatedStack";
import { kubernetesManifests } from "../../../../tools/render/render";
import { evaluateProgram } from "../../../../tools/render/evaluate";
import { PLACEHOLDER_SECRETS } from "../../../../tools/cli/stackFiles";
import { renderStack } from "../../../support/stacks";

const byYaml = (value: unknown) => stringify(value, { lineWidth: 0 });

/** Strings built from what makes YAML quote, fold, indent or retag a scalar. */
const trickyString = fc
  .array(
    fc.constantFrom(
      ..."aZ_/-.:#'\"|>!&*?%@`[]{},=~ 0123456789\n\t\r".split(""),
      ": ",
      " #",
      "\n\n",
      "  ",
      "---",
      "...",
      "true",
      "null",
      "0x1F",
      "1e3",
      ".inf",
      "é",
      "\u0007",
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(""));

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    trickyString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    tie("array"),
    tie("record"),
  ),
  array: fc.array(tie("value"), { maxLength: 4 }),
  record: fc.dictionary(trickyString, tie("value"), { maxKeys: 4 }),
}));

describe("tools/render/yaml.ts: manifests as the yaml package writes them", () => {
  for (const stack of ["dev", "prod", "local", "local-prod"] as const) {
    it(`every manifest of ${stack}`, async () => {
      const { manifests } = await renderStack(stack);
      for (const manifest of manifests) {
        expect(manifestYaml(manifest), JSON.stringify(manifest.metadata)).to.equal(
          byYaml(manifest),
        );
      }
    });
  }

  it("every manifest of a generated 6-release stack", async () => {
    const { resources } = await evaluateProgram(generatedStack(6), PLACEHOLDER_SECRETS, "g6");
    for (const manifest of kubernetesManifests(resources)) {
      expect(manifestYaml(manifest)).to.equal(byYaml(manifest));
    }
  });

  it("generated values: maps of strings that need quoting, block scalars, numbers, nesting", () => {
    fc.assert(
      fc.property(json.record, (record) => {
        expect(manifestYaml(record)).to.equal(byYaml(record));
      }),
      { numRuns: 2000 },
    );
  });

  it("the shapes it writes itself: nested maps and sequences, empty ones, block scalars", () => {
    const value = {
      a: { b: [1, { c: "x\ny\n", d: [] }, [["p", "q"], {}]], e: {} },
      script: "#!/bin/sh\nset -eu\n\nexec run\n\n",
      quoted: ["x: y", "", "-1", "yes", "3.5.7", "512Mi", "1.5"],
    };
    expect(manifestYaml(value)).to.equal(byYaml(value));
  });
});
