import { expect } from "chai";
import {
  cacheKey,
  mavenPath,
  parseCoordinate,
  recipeHash,
  simpleIndexLink,
  stableStringify,
} from "../../../../cluster/images/recipe";

describe("cluster/images: recipe hashing", () => {
  it("serialises objects with sorted keys at every level, dropping undefined members", () => {
    expect(stableStringify({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: "x" }, u: undefined })).to.equal(
      '{"a":{"c":"x","d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  it("hashes equal recipes equally whatever their key order, and any change differently", () => {
    const a = { version: "3.5.7", files: { entrypoint: "#!/bin/bash\n", decom: "x" } };
    const b = { files: { decom: "x", entrypoint: "#!/bin/bash\n" }, version: "3.5.7" };
    expect(recipeHash(a)).to.equal(recipeHash(b));
    expect(recipeHash(a)).to.match(/^[0-9a-f]{64}$/);
    expect(recipeHash({ ...a, version: "3.5.8" })).to.not.equal(recipeHash(a));
    expect(recipeHash({ ...a, files: { ...a.files, decom: "y" } })).to.not.equal(recipeHash(a));
    // Array order is meaningful (layer order, package order).
    expect(recipeHash([1, 2])).to.not.equal(recipeHash([2, 1]));
  });

  it("names cache files by a slug of the image and the first 16 hex digits of the hash", () => {
    const key = cacheKey("apache/spark:3.5.7", { v: 1 });
    expect(key).to.equal(`apache_spark_3.5.7-${recipeHash({ v: 1 }).slice(0, 16)}`);
  });
});

describe("cluster/images: Maven coordinates and PyPI index pages", () => {
  it("parses coordinates with type and classifier into Maven's repository layout", () => {
    const c = parseCoordinate("org.apache.hive:hive-standalone-metastore:3.1.3:tar.gz:bin");
    expect(c).to.deep.equal({
      groupId: "org.apache.hive",
      artifactId: "hive-standalone-metastore",
      version: "3.1.3",
      type: "tar.gz",
      classifier: "bin",
    });
    expect(mavenPath(c)).to.deep.equal({
      file: "hive-standalone-metastore-3.1.3-bin.tar.gz",
      path: "org/apache/hive/hive-standalone-metastore/3.1.3/hive-standalone-metastore-3.1.3-bin.tar.gz",
    });
    expect(mavenPath(parseCoordinate("org.postgresql:postgresql:9.4.1208.jre7")).file).to.equal(
      "postgresql-9.4.1208.jre7.jar",
    );
    expect(() => parseCoordinate("org.postgresql:postgresql")).to.throw(/bad Maven coordinate/);
  });

  it("finds the exact file of a simple index page with its sha256, not a similarly named one", () => {
    const sha = (c: string) => c.repeat(64);
    const html = [
      `<a href="https://files.example/aa/pyspark_client-4.1.0.dev1.tar.gz#sha256=${sha("1")}">x</a>`,
      `<a href="https://files.example/bb/pyspark_client-4.1.0.tar.gz#sha256=${sha("2")}" data-requires-python="&gt;=3.9">x</a>`,
    ].join("\n");
    expect(simpleIndexLink(html, "pyspark_client-4.1.0.tar.gz")).to.deep.equal({
      url: "https://files.example/bb/pyspark_client-4.1.0.tar.gz",
      sha256: sha("2"),
    });
    expect(() => simpleIndexLink(html, "pyspark_client-4.0.0.tar.gz")).to.throw(/not listed/);
  });
});
