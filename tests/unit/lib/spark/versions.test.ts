import { expect } from "chai";
import { defaultSparkImage, sparkLineOf } from "../../../../lib/spark/versions";

describe("pure: versions", () => {
  it("supported lines, pinned image tags", () => {
    expect(sparkLineOf("3.5.8")?.hiveMetastoreVersion).to.equal("3.1.3");
    expect(sparkLineOf("4.0.1")).to.equal(undefined);
    expect(defaultSparkImage("3.5.7")).to.equal(
      "apache/spark:3.5.7-scala2.12-java17-python3-ubuntu",
    );
  });
});
