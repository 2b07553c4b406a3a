import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DERIVED_IMAGES } from "../../../../lib/jars/images";
import {
  REGISTRIES_CONF,
  budArgs,
  builderStorage,
  storageReference,
  toolEnv,
} from "../../../../tools/jars/buildah";
import { DEBIAN_SLIM_REF } from "../../../../tools/jars/debianSlim";

const ROOT = join(__dirname, "../../../..");

describe("derived images: buildah and skopeo invocations", () => {
  const storage = builderStorage("/cache/derived-images", "overlay");

  it("keeps storage, run state and registries configuration in the builder's own directory", () => {
    expect(storage).to.deep.equal({
      root: "/cache/derived-images/storage-overlay",
      runroot: "/cache/derived-images/run-overlay",
      driver: "overlay",
      registriesConf: "/cache/derived-images/registries.conf",
      tmpDir: "/cache/derived-images/tmp",
    });
    // A vfs storage never shares a directory with an overlay one (the layouts differ).
    expect(builderStorage("/cache/derived-images", "vfs").root).to.not.equal(storage.root);
    const env = toolEnv(storage, { PATH: "/usr/bin" });
    expect(env).to.deep.equal({
      PATH: "/usr/bin",
      CONTAINERS_REGISTRIES_CONF: "/cache/derived-images/registries.conf",
      TMPDIR: "/cache/derived-images/tmp",
    });
    expect(REGISTRIES_CONF).to.include('unqualified-search-registries = ["docker.io"]');
    expect(storageReference(storage, "apache/hive:3.1.3")).to.equal(
      "containers-storage:[overlay@/cache/derived-images/storage-overlay+/cache/derived-images/run-overlay]docker.io/apache/hive:3.1.3",
    );
  });

  it("runs a Dockerfile daemon-less, offline and reproducibly, tagged with its full name", () => {
    const args = budArgs(storage, {
      contextDir: "/repo/images/spark-3.5",
      tag: "spark-platform/spark-3.5:3.5.7",
      buildArgs: { BASE: "apache/spark:3.5.7", MAVEN_REPOSITORY: "http://127.0.0.1:8081" },
      timestamp: 1735689600,
    });
    expect(args.slice(0, 7)).to.deep.equal([
      "--root",
      storage.root,
      "--runroot",
      storage.runroot,
      "--storage-driver",
      "overlay",
      "bud",
    ]);
    const joined = args.join(" ");
    expect(joined).to.include("--isolation chroot");
    expect(args).to.include("--pull=never");
    expect(joined).to.include("--timestamp 1735689600");
    expect(joined).to.include("--build-arg BASE=apache/spark:3.5.7");
    expect(joined).to.include("--build-arg MAVEN_REPOSITORY=http://127.0.0.1:8081");
    expect(joined).to.include("--tag docker.io/spark-platform/spark-3.5:3.5.7");
    expect(args.at(-1)).to.equal("/repo/images/spark-3.5");
  });

  it("passes build arguments every committed Dockerfile declares, for the stages the builder provides", () => {
    for (const image of DERIVED_IMAGES) {
      const text = readFileSync(join(ROOT, "images", image.name, "Dockerfile"), "utf8");
      const declared = [...text.matchAll(/^ARG (\w+)/gm)].map((m) => m[1]);
      expect(declared, image.name).to.include.members(["BASE", "MAVEN_REPOSITORY"]);
      // The jar stage's image is the one the builder makes (debianSlim.ts).
      expect(text, image.name).to.include(`\nFROM ${DEBIAN_SLIM_REF} AS jars\n`);
      expect(text, image.name).to.match(/^FROM \$\{BASE\}$/m);
    }
  });
});
