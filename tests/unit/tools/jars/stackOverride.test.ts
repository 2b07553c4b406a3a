import { expect } from "chai";
import { join } from "node:path";
import { parsePlatformConfig } from "../../../../lib/config/parse";
import type { RawRelease } from "../../../../lib/config/schema";
import { rawConfigFromStackFile } from "../../../../lib/config/sources";
import { DERIVED_IMAGES } from "../../../../lib/jars/images";
import {
  derivedImagesOverride,
  derivedRefsByBase,
  withValues,
} from "../../../../tools/jars/stackOverride";

const ROOT = join(__dirname, "../../../..");
const refs = derivedRefsByBase(DERIVED_IMAGES);

describe("derived images: the stack values that run them", () => {
  it("maps each official default to spark-platform/<image>:<version>", () => {
    expect(Object.fromEntries(refs)).to.deep.equal({
      "apache/spark:3.5.7-scala2.12-java17-python3-ubuntu": "spark-platform/spark-3.5:3.5.7",
      "apache/spark:4.1.0-scala2.13-java21-python3-ubuntu": "spark-platform/spark-4.1:4.1.0",
      "apache/hive:3.1.3": "spark-platform/hive-3.1.3:3.1.3",
      "apache/hive:4.0.0": "spark-platform/hive-4.0.0:4.0.0",
    });
    expect(derivedRefsByBase(DERIVED_IMAGES, "registry.example").get("apache/hive:3.1.3")).to.equal(
      "registry.example/spark-platform/hive-3.1.3:3.1.3",
    );
  });

  it("makes the local stack run every pod on a derived image, and the result validates", () => {
    const raw = rawConfigFromStackFile(join(ROOT, "Pulumi.local.yaml"));
    expect(raw.values["jars"]).to.have.property("repository"); // refused with source: image
    const override = derivedImagesOverride(raw.values["releases"] as RawRelease[], refs);
    expect(override.unreplaced).to.deep.equal([]);
    const parsed = parsePlatformConfig(withValues(raw, override.values));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.config.jars.source).to.equal("image");
    expect(
      parsed.config.releases.map((r) => [r.name, r.image, r.history.image, r.metastore.image]),
    ).to.deep.equal([
      [
        "spark-35",
        "spark-platform/spark-3.5:3.5.7",
        "spark-platform/spark-3.5:3.5.7",
        "spark-platform/hive-3.1.3:3.1.3",
      ],
      [
        "spark-41",
        "spark-platform/spark-4.1:4.1.0",
        "spark-platform/spark-4.1:4.1.0",
        "spark-platform/hive-4.0.0:4.0.0",
      ],
    ]);
    // Everything else of the releases is the stack's own.
    const original = raw.values["releases"] as RawRelease[];
    override.values.releases.forEach((release, i) => {
      const { image: _image, hiveMetastore, ...rest } = release;
      const { image: _was, hiveMetastore: wasHive, ...wasRest } = original[i]!;
      expect(rest).to.deep.equal(wasRest);
      expect({ ...hiveMetastore, image: undefined }).to.deep.equal({
        ...wasHive,
        image: undefined,
      });
    });
  });

  it("replaces explicitly named official images, keeps other images and reports them", () => {
    const releases: RawRelease[] = [
      {
        name: "custom",
        sparkVersion: "3.5.7",
        mode: "standalone",
        image: "registry.example/our-spark:3.5.7",
        historyServer: { image: "apache/spark:3.5.7-scala2.12-java17-python3-ubuntu" },
        hiveMetastore: { enabled: false },
      },
      {
        name: "already",
        sparkVersion: "4.1.0",
        mode: "connect",
        image: "spark-platform/spark-4.1:4.1.0",
      },
    ];
    const { values, unreplaced } = derivedImagesOverride(releases, refs);
    expect(values.releases[0]!.image).to.equal("registry.example/our-spark:3.5.7");
    expect(values.releases[0]!.historyServer?.image).to.equal("spark-platform/spark-3.5:3.5.7");
    expect(values.releases[0]!.hiveMetastore).to.deep.equal({ enabled: false });
    expect(values.releases[1]!.image).to.equal("spark-platform/spark-4.1:4.1.0");
    expect(values.releases[1]!.hiveMetastore?.image).to.equal("spark-platform/hive-4.0.0:4.0.0");
    expect(unreplaced).to.deep.equal(["registry.example/our-spark:3.5.7"]);
  });
});
