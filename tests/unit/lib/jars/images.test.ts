import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { JAR_SETS, artifactPath, jarFileName } from "../../../../lib/jars/catalog";
import { DERIVED_IMAGES, derivedImageRef, imageFiles } from "../../../../lib/jars/images";

const ROOT = join(__dirname, "../../../..");

describe("jars: the derived images' build files (images/)", () => {
  it("the committed files are what the catalog generates (npm run jars -- images)", () => {
    for (const [path, content] of Object.entries(imageFiles())) {
      expect(readFileSync(join(ROOT, path), "utf8"), path).to.equal(content);
    }
    const check = spawnSync("npx", ["tsx", "scripts/jars.ts", "images", "--check"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(check.status, check.stderr).to.equal(0);
  });

  it("one image per official default, each adding exactly its catalog set with checksums", () => {
    expect(DERIVED_IMAGES.map((i) => `${i.name} <- ${i.base}`)).to.deep.equal([
      "spark-3.5 <- apache/spark:3.5.7-scala2.12-java17-python3-ubuntu",
      "spark-4.1 <- apache/spark:4.1.0-scala2.13-java21-python3-ubuntu",
      "hive-3.1.3 <- apache/hive:3.1.3",
      "hive-4.0.0 <- apache/hive:4.0.0",
    ]);
    for (const image of DERIVED_IMAGES) {
      const files = imageFiles();
      const listed = files[`images/${image.name}/jars.txt`]!.trim().split("\n");
      expect(listed).to.deep.equal(
        image.set.artifacts.map((a) => `${artifactPath(a)} ${a.sha256}`),
      );
      const dockerfile = files[`images/${image.name}/Dockerfile`]!;
      expect(dockerfile).to.include("sha256sum -c --quiet -");
      expect(dockerfile).to.include(`ARG BASE=${image.base}`);
    }
    const hive = imageFiles()["images/hive-3.1.3/Dockerfile"]!;
    const driver = jarFileName(JAR_SETS["hive-postgres-driver"].artifacts[0]!);
    // The old 9.4 driver goes before the new one arrives: one driver on bin/hive's classpath.
    expect(hive.indexOf("rm -f /opt/hive/lib/postgresql-*.jar")).to.be.greaterThan(0);
    expect(hive.indexOf(`COPY --from=jars /jars/${driver} /opt/hive/lib/`)).to.be.greaterThan(
      hive.indexOf("rm -f /opt/hive/lib/postgresql-*.jar"),
    );
    expect(imageFiles()["images/spark-4.1/Dockerfile"]).to.include(
      "COPY --from=jars --chown=spark:spark /jars/ /opt/spark/jars/",
    );
  });

  it("names each image spark-platform/<folder>:<its base's version>, as its build line says", () => {
    expect(DERIVED_IMAGES.map((i) => derivedImageRef(i))).to.deep.equal([
      "spark-platform/spark-3.5:3.5.7",
      "spark-platform/spark-4.1:4.1.0",
      "spark-platform/hive-3.1.3:3.1.3",
      "spark-platform/hive-4.0.0:4.0.0",
    ]);
    for (const image of DERIVED_IMAGES) {
      // The tag is the version the base's own tag starts with.
      expect(image.base.split(":")[1]!.startsWith(image.version), image.name).to.equal(true);
      expect(derivedImageRef(image, "registry.example/")).to.equal(
        `registry.example/${derivedImageRef(image)}`,
      );
      expect(imageFiles()[`images/${image.name}/Dockerfile`]).to.include(
        `# Build:  docker build -t <registry>/${derivedImageRef(image)} images/${image.name}\n`,
      );
    }
  });
});
