import { expect } from "chai";
import { k8sPseudoVersion, postgresqlPseudoVersion } from "../../../../tools/toolchain/versions";

describe("toolchain: versions", () => {
  it("knows the provider/v4 pseudo-version of @pulumi/kubernetes 4.25.0 only", () => {
    expect(k8sPseudoVersion("4.25.0")).to.equal("v4.0.0-20260115033456-f47bc2d6f199");
    expect(k8sPseudoVersion("4.26.0")).to.equal(undefined);
  });

  it("has a candidate pulumi-postgresql module version for 3.18.0 and 3.18.1", () => {
    expect(postgresqlPseudoVersion("3.18.0")).to.equal("v3.0.0-20260716141723-b57d264d8aee");
    expect(postgresqlPseudoVersion("3.18.1")).to.equal(postgresqlPseudoVersion("3.18.0"));
    expect(postgresqlPseudoVersion("3.17.0")).to.equal(undefined);
  });
});
