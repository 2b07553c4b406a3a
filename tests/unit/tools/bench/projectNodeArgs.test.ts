import { expect } from "chai";
import { projectNodeArgs } from "../../../../tools/bench/projectNodeArgs";

describe("tools/bench/projectNodeArgs", () => {
  it("reads runtime.options.nodeargs as the language host splits it", () => {
    expect(
      projectNodeArgs("runtime:\n  name: nodejs\n  options:\n    nodeargs: ' --a=1  --b '\n"),
    ).to.deep.equal(["--a=1", "--b"]);
    expect(projectNodeArgs("runtime: nodejs\n")).to.deep.equal([]);
    expect(() => projectNodeArgs("runtime:\n  options:\n    nodeargs: [1]\n")).to.throw(/nodeargs/);
  });
});
