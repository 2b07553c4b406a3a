import { expect } from "chai";
import {
  generateEnv,
  SCHEMA_INPUTS,
  SCHEMA_SOURCES,
} from "../../../../../tools/toolchain/parts/kubernetesSchema";

describe("toolchain: the kubernetes provider's generate step", () => {
  it("stamps the schema through VERSION, leaving the rest of the environment", () => {
    expect(generateEnv({ GOFLAGS: "-mod=mod" }, "4.25.0")).to.deep.equal({
      GOFLAGS: "-mod=mod",
      VERSION: "4.25.0",
    });
  });

  it("copies the main package with the schema inputs, and drops only those inputs after", () => {
    expect(SCHEMA_SOURCES).to.include.members(["main.go", "generate.go"]);
    expect(SCHEMA_INPUTS).to.deep.equal(["schema.json", "terraform-mapping.json"]);
    expect(SCHEMA_SOURCES).to.include.members(SCHEMA_INPUTS);
  });
});
