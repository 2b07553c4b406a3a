import { expect } from "chai";
import { DERIVED_IMAGES, dockerfile, jarsList } from "../../../../lib/jars/images";
import {
  archiveFileName,
  archiveFor,
  archiveIndexEntries,
  containerdIndex,
  derivedImageRecipe,
  staleArchives,
} from "../../../../tools/jars/derivedImageRecipe";

const spark35 = DERIVED_IMAGES.find((i) => i.name === "spark-3.5")!;
const files = { dockerfile: dockerfile(spark35), jarsList: jarsList(spark35.set) };
const base = { ref: spark35.base, manifestDigest: `sha256:${"a".repeat(64)}` };
const BUILDAH = "buildah version 1.28.2 (image-spec 1.1.0-rc2, runtime-spec 1.0.2-dev)";

describe("derived images: recipe, archive name and containerd naming", () => {
  it("names the archive <image>-<16 hex of the recipe hash>.tar and the image spark-platform/<image>:<version>", () => {
    const recipe = derivedImageRecipe(spark35, files, base, BUILDAH);
    expect(archiveFileName(recipe)).to.match(/^spark-3\.5-[0-9a-f]{16}\.tar$/);
    expect(recipe.ref).to.equal("spark-platform/spark-3.5:3.5.7");
    expect(derivedImageRecipe(spark35, files, base, BUILDAH, "registry.example").ref).to.equal(
      "registry.example/spark-platform/spark-3.5:3.5.7",
    );
  });

  it("gives equal recipes the same archive and any changed input a new one", () => {
    const name = archiveFileName(derivedImageRecipe(spark35, files, base, BUILDAH));
    expect(
      archiveFileName(derivedImageRecipe(spark35, { ...files }, { ...base }, `${BUILDAH}\n`)),
    ).to.equal(name);
    const changed = [
      derivedImageRecipe(
        spark35,
        { ...files, dockerfile: `${files.dockerfile}# x\n` },
        base,
        BUILDAH,
      ),
      derivedImageRecipe(
        spark35,
        { ...files, jarsList: files.jarsList.replace(/[0-9a-f]{64}/, "0".repeat(64)) },
        base,
        BUILDAH,
      ),
      derivedImageRecipe(
        spark35,
        files,
        { ...base, manifestDigest: `sha256:${"b".repeat(64)}` },
        BUILDAH,
      ),
      derivedImageRecipe(spark35, files, base, "buildah version 1.33.0"),
      derivedImageRecipe(spark35, files, base, BUILDAH, "registry.example"),
    ].map(archiveFileName);
    for (const other of changed) expect(other).to.not.equal(name);
    expect(new Set(changed).size).to.equal(changed.length);
  });

  it("finds earlier archives of the same image only", () => {
    const keep = "spark-3.5-0123456789abcdef.tar";
    const listing = [
      keep,
      "spark-3.5-fedcba9876543210.tar",
      "spark-3.5-fedcba9876543210.tar.part",
      "spark-3.5.7-fedcba9876543210.tar",
      "spark-345-fedcba9876543210.tar",
      "hive-3.1.3-fedcba9876543210.tar",
    ];
    expect(staleArchives(listing, "spark-3.5", keep)).to.deep.equal([
      "spark-3.5-fedcba9876543210.tar",
    ]);
  });

  it("annotates the exported index for ctr import, keeping what was there", () => {
    const exported = JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          digest: `sha256:${"c".repeat(64)}`,
          size: 940,
          annotations: { "org.opencontainers.image.ref.name": "3.5.7", other: "kept" },
        },
      ],
    });
    const index = JSON.parse(containerdIndex(exported, "spark-platform/spark-3.5:3.5.7")) as {
      manifests: { digest: string; annotations: Record<string, string> }[];
    };
    expect(index.manifests[0]!.digest).to.equal(`sha256:${"c".repeat(64)}`);
    expect(index.manifests[0]!.annotations).to.deep.equal({
      "org.opencontainers.image.ref.name": "3.5.7",
      other: "kept",
      "io.containerd.image.name": "docker.io/spark-platform/spark-3.5:3.5.7",
    });
    const registry = JSON.parse(
      containerdIndex(exported, "registry.example:5000/spark-platform/hive-4.0.0:4.0.0"),
    ) as typeof index;
    expect(registry.manifests[0]!.annotations["io.containerd.image.name"]).to.equal(
      "registry.example:5000/spark-platform/hive-4.0.0:4.0.0",
    );
    expect(registry.manifests[0]!.annotations["org.opencontainers.image.ref.name"]).to.equal(
      "4.0.0",
    );
    const two = JSON.stringify({ manifests: [{}, {}] });
    expect(() => containerdIndex(two, "x:1")).to.throw(/one manifest/);
  });

  it("finds a base's archive by the name containerd would give it, the newest when several hold it", () => {
    const standIn = (name: string, digest: string) =>
      JSON.stringify({
        manifests: [
          {
            digest,
            annotations: {
              "io.containerd.image.name": name,
              "org.opencontainers.image.ref.name": "x",
            },
          },
        ],
      });
    const old = {
      file: "old.tar",
      mtimeMs: 1,
      entries: archiveIndexEntries(standIn("docker.io/apache/hive:3.1.3", "sha256:old")),
    };
    const recent = {
      file: "new.tar",
      mtimeMs: 2,
      entries: archiveIndexEntries(standIn("docker.io/apache/hive:3.1.3", "sha256:new")),
    };
    const other = {
      file: "spark.tar",
      mtimeMs: 3,
      entries: archiveIndexEntries(standIn(`docker.io/${spark35.base}`, "sha256:spark")),
    };
    expect(archiveFor("apache/hive:3.1.3", [old, other, recent])).to.deep.equal({
      archive: recent,
      manifestDigest: "sha256:new",
    });
    expect(archiveFor(spark35.base, [old, other])?.manifestDigest).to.equal("sha256:spark");
    expect(archiveFor("apache/hive:4.0.0", [old, other, recent])).to.equal(undefined);
  });

  it("reads the image name from containerd's annotation, or from a full reference skopeo wrote", () => {
    const index = (annotations: Record<string, string>) =>
      JSON.stringify({ manifests: [{ digest: "sha256:d", annotations }] });
    expect(
      archiveIndexEntries(index({ "org.opencontainers.image.ref.name": "apache/hive:3.1.3" })),
    ).to.deep.equal([{ imageName: "docker.io/apache/hive:3.1.3", manifestDigest: "sha256:d" }]);
    // A bare tag names no image.
    expect(
      archiveIndexEntries(index({ "org.opencontainers.image.ref.name": "3.1.3" }))[0]!.imageName,
    ).to.equal(undefined);
    expect(
      archiveIndexEntries(
        index({
          "io.containerd.image.name": "docker.io/apache/hive:3.1.3",
          "org.opencontainers.image.ref.name": "3.1.3",
        }),
      )[0]!.imageName,
    ).to.equal("docker.io/apache/hive:3.1.3");
  });
});
