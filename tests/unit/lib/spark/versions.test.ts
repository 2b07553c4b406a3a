import { expect } from "chai";
import { compareVersions, defaultSparkImage, sparkLineOf } from "../../../../lib/spark/versions";

describe("pure: versions", () => {
  it("supported lines, pinned image tags", () => {
    expect(sparkLineOf("3.5.8")?.hiveMetastoreVersion).to.equal("3.1.3");
    expect(sparkLineOf("4.0.1")).to.equal(undefined);
    expect(defaultSparkImage("3.5.7")).to.equal(
      "apache/spark:3.5.7-scala2.12-java17-python3-ubuntu",
    );
  });
});

describe("pure: compareVersions", () => {
  it("orders dotted versions by number, not by text", () => {
    const sorted = ["4.1.0", "3.10.0", "3.5.7", "3.9"].sort(compareVersions);
    expect(sorted).to.deep.equal(["3.5.7", "3.9", "3.10.0", "4.1.0"]);
    expect(compareVersions("3.5", "3.5.0")).to.equal(0);
  });
});
