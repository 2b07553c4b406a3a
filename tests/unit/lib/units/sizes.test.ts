import { expect } from "chai";
import {
  daemonContainerMiB,
  jvmContainerMiB,
  memoryToMiB,
  sizeToMiB,
} from "../../../../lib/units/sizes";

describe("pure: sizes", () => {
  it("JVM sizes and container memory follow Spark's overhead rule", () => {
    expect(sizeToMiB("4g")).to.equal(4096);
    expect(sizeToMiB("768m")).to.equal(768);
    expect(() => sizeToMiB("4GB")).to.throw(/not a JVM size/);
    expect(jvmContainerMiB(1024)).to.equal(1024 + 384);
    expect(jvmContainerMiB(8192)).to.equal(8192 + 820);
    expect(daemonContainerMiB(256)).to.equal(512);
    expect(memoryToMiB("2Gi")).to.equal(2048);
  });
});
