import { expect } from "chai";
import { cacheRoot } from "../../../../lib/cache/cacheRoot";

describe("lib/cache: the cache root", () => {
  it("is SPARK_PLATFORM_CACHE_DIR, else ~/.cache/spark-platform; empty counts as unset, as in the scripts", () => {
    expect(cacheRoot({ SPARK_PLATFORM_CACHE_DIR: "/c", HOME: "/home/u" })).to.equal("/c");
    expect(cacheRoot({ HOME: "/home/u" })).to.equal("/home/u/.cache/spark-platform");
    expect(cacheRoot({ SPARK_PLATFORM_CACHE_DIR: "", HOME: "/home/u" })).to.equal(
      "/home/u/.cache/spark-platform",
    );
  });
});
