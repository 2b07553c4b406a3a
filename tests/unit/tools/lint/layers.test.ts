// The layer rule as `npm run lint` applies it: the project's own ESLint configuration,
// linting source text placed at paths in each layer.
import { expect } from "chai";
import { join } from "node:path";
import { ESLint } from "eslint";

const ROOT = join(__dirname, "../../../..");
const RULE = "layers/import-direction";

async function layerErrors(file: string, text: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(text, { filePath: join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe("tools/lint/layers.mjs (layers/import-direction)", function () {
  this.timeout(60_000);

  it("fails an inverted import: lib/ importing a component", async () => {
    const errors = await layerErrors(
      "lib/spark/fixture.ts",
      'import { SparkRelease } from "../../components/spark-release/sparkRelease";\nexport const x = SparkRelease;\n',
    );
    expect(errors).to.have.length(1);
    expect(errors[0]).to.include("lib/ may not import components/");
  });

  it("fails type-only imports up the layers too", async () => {
    const errors = await layerErrors(
      "components/spark-release/fixture.ts",
      'import type { Platform } from "../../platform/platform";\nexport type P = Platform;\n',
    );
    expect(errors[0]).to.include("components/ may not import platform/");
  });

  it("fails any import of tests/ outside tests/", async () => {
    for (const file of ["tools/render/fixture.ts", "cluster/fixture.ts", "scripts/fixture.ts"]) {
      const errors = await layerErrors(
        file,
        `import { rawConfig } from "${file.startsWith("tools") ? "../.." : ".."}/tests/support/stacks";\nexport const r = rawConfig;\n`,
      );
      expect(errors, file).to.have.length(1);
      expect(errors[0]).to.match(/may not import tests\//);
    }
  });

  it("passes imports that go down: platform -> components -> lib, tests -> anything", async () => {
    expect(
      await layerErrors(
        "platform/fixture.ts",
        'import { SparkRelease } from "../components/spark-release/sparkRelease";\nimport { RELEASE_LABEL } from "../lib/kube/objects";\nexport const x = [SparkRelease, RELEASE_LABEL];\n',
      ),
    ).to.deep.equal([]);
    expect(
      await layerErrors(
        "tests/unit/fixture.test.ts",
        'import { runtimeProgram } from "../../platform/program";\nexport const p = runtimeProgram;\n',
      ),
    ).to.deep.equal([]);
  });

  it("names a folder that is in no layer", async () => {
    const errors = await layerErrors("newfolder/x.ts", 'import "../lib/kube/objects";\n');
    expect(errors[0]).to.include("newfolder is in no layer");
  });
});
