import { expect } from "chai";
import { planParts } from "../../../../tools/toolchain/runParts";

const names = (words: string[]) => {
  const plan = planParts(words);
  return {
    runs: plan.runs.map((r) => `${r.part.name}${r.required ? "" : "?"}`),
    unknown: plan.unknown,
  };
};

describe("toolchain: which parts a command line builds", () => {
  it("builds everything by default, the two unbuildable providers optional", () => {
    const all = ["cli", "nodejs", "kubernetes", "postgresql?", "minio-provider?", "minio-server"];
    expect(names([])).to.deep.equal({ runs: all, unknown: undefined });
    expect(names(["all"])).to.deep.equal(names([]));
  });

  it("builds the named parts in the order given; postgresql alone is required", () => {
    expect(names(["minio", "cli"]).runs).to.deep.equal(["minio-provider?", "minio-server", "cli"]);
    expect(names(["postgresql"]).runs).to.deep.equal(["postgresql"]);
  });

  it("stops at an unknown word, after the parts named before it", () => {
    expect(names(["nodejs", "bogus", "cli"])).to.deep.equal({
      runs: ["nodejs"],
      unknown: "bogus",
    });
    expect(names(["toString"]).unknown).to.equal("toString");
  });
});
