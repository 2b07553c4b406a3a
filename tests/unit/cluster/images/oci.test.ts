import { expect } from "chai";
import { createHash } from "node:crypto";
import {
  descriptorOf,
  digestOf,
  fullyQualified,
  imageConfig,
  imageIndex,
  type ImageSpec,
  type Layer,
  layoutDocuments,
  MEDIA,
  tagOf,
} from "../../../../cluster/images/oci";

const LAYERS: Layer[] = [
  { file: "/x/base.tar", digest: `sha256:${"a".repeat(64)}`, size: 1000 },
  { file: "/x/app.tar", digest: `sha256:${"b".repeat(64)}`, size: 20 },
];

const SPEC: ImageSpec = {
  ref: "apache/spark:3.5.7-scala2.12-java17-python3-ubuntu",
  user: "spark",
  env: ["SPARK_HOME=/opt/spark", "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64"],
  entrypoint: ["/opt/entrypoint.sh"],
  workingDir: "/opt/spark/work-dir",
  exposedPorts: ["9083/tcp"],
};

describe("cluster/images: OCI documents", () => {
  it("digests are sha256 of the exact bytes", () => {
    const hex = createHash("sha256").update("{}").digest("hex");
    expect(digestOf("{}")).to.equal(`sha256:${hex}`);
    expect(descriptorOf(MEDIA.config, "{}")).to.deep.equal({
      mediaType: MEDIA.config,
      digest: `sha256:${hex}`,
      size: 2,
    });
    // Size counts bytes, not characters.
    expect(descriptorOf(MEDIA.config, '"é"').size).to.equal(4);
  });

  it("qualifies references as containerd stores them", () => {
    expect(fullyQualified("apache/spark:3.5.7")).to.equal("docker.io/apache/spark:3.5.7");
    expect(fullyQualified("busybox")).to.equal("docker.io/library/busybox:latest");
    expect(fullyQualified("registry.k8s.io/pause:3.10")).to.equal("registry.k8s.io/pause:3.10");
    expect(fullyQualified("localhost:5000/x")).to.equal("localhost:5000/x:latest");
    expect(fullyQualified("spark-platform/pyspark-client:4.1.0")).to.equal(
      "docker.io/spark-platform/pyspark-client:4.1.0",
    );
    expect(tagOf("registry.k8s.io/coredns/coredns:v1.12.4")).to.equal("v1.12.4");
    expect(tagOf("localhost:5000/x")).to.equal("latest");
  });

  it("the config carries User, Env, Entrypoint, WorkingDir and the layers as diff IDs", () => {
    const config = imageConfig(SPEC, LAYERS);
    expect(config.config).to.deep.equal({
      Env: SPEC.env,
      User: "spark",
      Entrypoint: ["/opt/entrypoint.sh"],
      WorkingDir: "/opt/spark/work-dir",
      ExposedPorts: { "9083/tcp": {} },
    });
    expect(config.rootfs).to.deep.equal({ type: "layers", diff_ids: LAYERS.map((l) => l.digest) });
    expect(config).to.include({ architecture: "amd64", os: "linux" });
    expect(config.history).to.have.length(2);
  });

  it("manifest and index reference each other by the digests of their serialised JSON", () => {
    const docs = layoutDocuments(SPEC, LAYERS);
    const manifestJson = docs.blobs.get(docs.manifestDigest)!;
    expect(digestOf(manifestJson)).to.equal(docs.manifestDigest);
    const manifest = JSON.parse(manifestJson);
    expect(manifest.mediaType).to.equal(MEDIA.manifest);
    expect(manifest.layers).to.deep.equal(
      LAYERS.map((l) => ({ mediaType: MEDIA.layer, digest: l.digest, size: l.size })),
    );
    const configJson = docs.blobs.get(manifest.config.digest)!;
    expect(manifest.config.size).to.equal(Buffer.byteLength(configJson));
    expect(JSON.parse(configJson).config.User).to.equal("spark");

    const index = JSON.parse(docs.indexJson);
    expect(index.manifests).to.have.length(1);
    expect(index.manifests[0]).to.deep.include({
      digest: docs.manifestDigest,
      size: Buffer.byteLength(manifestJson),
    });
    expect(index.manifests[0].annotations).to.deep.equal({
      "io.containerd.image.name": "docker.io/apache/spark:3.5.7-scala2.12-java17-python3-ubuntu",
      "org.opencontainers.image.ref.name": "3.5.7-scala2.12-java17-python3-ubuntu",
    });
  });

  it("is deterministic, and any change of layer or config changes the manifest digest", () => {
    const digest = layoutDocuments(SPEC, LAYERS).manifestDigest;
    expect(layoutDocuments(SPEC, LAYERS).manifestDigest).to.equal(digest);
    const otherLayer = [LAYERS[0]!, { ...LAYERS[1]!, digest: `sha256:${"c".repeat(64)}` }];
    expect(layoutDocuments(SPEC, otherLayer).manifestDigest).to.not.equal(digest);
    expect(layoutDocuments({ ...SPEC, user: "185" }, LAYERS).manifestDigest).to.not.equal(digest);
    expect(
      imageIndex({ mediaType: MEDIA.manifest, digest, size: 1 }, "a/b:c").manifests[0]!.platform,
    ).to.deep.equal({
      architecture: "amd64",
      os: "linux",
    });
  });
});
