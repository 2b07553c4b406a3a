import { expect } from "chai";
import { join } from "node:path";
import { stringify } from "yaml";
import type { RawRelease } from "../../../../lib/config/schema";
import { rawConfigFromStackFile } from "../../../../lib/config/sources";
import { DERIVED_IMAGES } from "../../../../lib/jars/images";
import type { KubeManifest } from "../../../../lib/kube/objects";
import { jarChecksIn, renderedJarChecks } from "../../../../tools/jars/renderedJarChecks";
import { derivedImagesOverride, derivedRefsByBase } from "../../../../tools/jars/stackOverride";

const ROOT = join(__dirname, "../../../..");

const pod = (init: object[]) => ({
  spec: { template: { spec: { initContainers: init, containers: [] } } },
});

describe("derived images: the check-jars containers a stack renders", () => {
  it("collects check-jars from workloads and from pod templates stored in ConfigMaps, once per image and command", () => {
    const check = { name: "check-jars", image: "img:1", command: ["/bin/bash", "-c", "true"] };
    const manifests = [
      {
        kind: "Deployment",
        metadata: { name: "a" },
        ...pod([check, { name: "other", image: "img:1", command: ["x"] }]),
      },
      { kind: "Job", metadata: { name: "b" }, ...pod([check]) },
      {
        kind: "ConfigMap",
        metadata: { name: "executor-template" },
        data: {
          "template.yaml": stringify({ spec: { initContainers: [{ ...check, image: "img:2" }] } }),
        },
      },
      {
        kind: "ConfigMap",
        metadata: { name: "unrelated" },
        data: { "x.txt": "initContainers: [unclosed" },
      },
    ] as unknown as KubeManifest[];
    expect(jarChecksIn(manifests)).to.deep.equal([
      { image: "img:1", command: check.command, usedBy: ["Deployment/a", "Job/b"] },
      { image: "img:2", command: check.command, usedBy: ["ConfigMap/executor-template"] },
    ]);
  });

  it("local with the derived images: every jar pod's check-jars names its derived image", async () => {
    const file = join(ROOT, "Pulumi.local.yaml");
    const releases = rawConfigFromStackFile(file).values["releases"] as RawRelease[];
    const override = derivedImagesOverride(releases, derivedRefsByBase(DERIVED_IMAGES));
    const checks = await renderedJarChecks(file, "local", override.values);
    const byImage = (image: string) =>
      checks
        .filter((c) => c.image === image)
        .flatMap((c) => c.usedBy)
        .sort();
    expect(byImage("spark-platform/spark-3.5:3.5.7")).to.deep.equal([
      "Deployment/spark-35-history",
      "Deployment/spark-35-master",
      "Deployment/spark-35-worker",
    ]);
    expect(byImage("spark-platform/spark-4.1:4.1.0")).to.deep.equal([
      "ConfigMap/spark-41-executor-template",
      "Deployment/spark-41-connect",
      "Deployment/spark-41-history",
    ]);
    expect(byImage("spark-platform/hive-3.1.3:3.1.3")).to.deep.equal([
      "Deployment/spark-35-metastore",
      "Job/spark-35-metastore-schema-init",
    ]);
    expect(byImage("spark-platform/hive-4.0.0:4.0.0")).to.deep.equal([
      "Deployment/spark-41-metastore",
      "Job/spark-41-metastore-schema-init",
    ]);
    expect(checks.every((c) => c.command.join(" ").includes("/opt/"))).to.equal(true);
    expect(
      checks.map((c) => c.image).filter((i) => !i.startsWith("spark-platform/")),
    ).to.deep.equal([]);
  });
});
