import { expect } from "chai";
import { deriveMetastorePassword } from "../../../lib/credentials/derivation";
import { MAX_RELEASE_NAME_LENGTH, NAME_SUFFIXES, releaseNames } from "../../../lib/naming/names";
import {
  daemonContainerMiB,
  jvmContainerMiB,
  memoryToMiB,
  sizeToMiB,
} from "../../../lib/units/sizes";
import { defaultSparkImage, sparkLineOf } from "../../../lib/spark/versions";

describe("pure: names, sizes, versions, credentials", () => {
  it("every derived name of the longest allowed release name fits 63 characters", () => {
    const name = `r${"x".repeat(MAX_RELEASE_NAME_LENGTH - 1)}`;
    const names = releaseNames(name);
    const all = [
      ...NAME_SUFFIXES.map((s) => `${name}${s}`),
      names.master,
      names.networkPolicy("allow-intra-release"),
    ];
    expect(Math.max(...all.map((n) => n.length))).to.equal(63);
    expect(MAX_RELEASE_NAME_LENGTH).to.equal(40);
  });

  it("JVM sizes and container memory follow Spark's overhead rule", () => {
    expect(sizeToMiB("4g")).to.equal(4096);
    expect(sizeToMiB("768m")).to.equal(768);
    expect(() => sizeToMiB("4GB")).to.throw(/not a JVM size/);
    expect(jvmContainerMiB(1024)).to.equal(1024 + 384);
    expect(jvmContainerMiB(8192)).to.equal(8192 + 820);
    expect(daemonContainerMiB(256)).to.equal(512);
    expect(memoryToMiB("2Gi")).to.equal(2048);
  });

  it("supported lines, pinned image tags", () => {
    expect(sparkLineOf("3.5.8")?.hiveMetastoreVersion).to.equal("3.1.3");
    expect(sparkLineOf("4.0.1")).to.equal(undefined);
    expect(defaultSparkImage("3.5.7")).to.equal(
      "apache/spark:3.5.7-scala2.12-java17-python3-ubuntu",
    );
  });

  it("metastore passwords are derived per release and role, never equal, never the admin's", () => {
    const a = deriveMetastorePassword("admin", "spark-35", "metastore_spark35");
    const b = deriveMetastorePassword("admin", "spark-41", "metastore_spark41");
    expect(a).to.have.length(40);
    expect(a).not.to.equal(b);
    expect(a).not.to.contain("admin");
    expect(deriveMetastorePassword("admin", "spark-35", "metastore_spark35")).to.equal(a);
    expect(deriveMetastorePassword("rotated", "spark-35", "metastore_spark35")).not.to.equal(a);
  });
});
