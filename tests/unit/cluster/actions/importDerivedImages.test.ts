import { expect } from "chai";
import { listedArchives } from "../../../../cluster/actions/importDerivedImages";
import { derivedImagesListing } from "../../../../lib/cache/cacheRoot";

describe("cluster/actions: the derived images a node imports", () => {
  it("reads the builder's listing under the cache root", () => {
    expect(derivedImagesListing("/c")).to.equal("/c/derived-images/out/images.json");
  });

  it("imports the listed archives that still exist, by reference", () => {
    const listing = [
      { name: "spark-3.5", ref: "spark-platform/spark-3.5:3.5.7", tar: "/a.tar", base: "x" },
      { name: "hive-3.1.3", ref: "spark-platform/hive-3.1.3:3.1.3", tar: "/gone.tar", base: "y" },
    ];
    expect(listedArchives(listing, (p) => p !== "/gone.tar")).to.deep.equal([
      { ref: "spark-platform/spark-3.5:3.5.7", tar: "/a.tar" },
    ]);
  });
});
