// Placement over the composed stack: the local stack with placements set the way a live
// test on a two-node cluster will set them (`pulumi config set --path` overrides), rendered
// under mocks. Every pod of each release, executor template and Jobs included, carries its
// release's placement and nothing else changes.
import { expect } from "chai";
import { parse as parseYaml } from "yaml";
import type { PodPlacement } from "../../../lib/config/model";
import { rawConfigFromStackFile } from "../../../lib/config/sources";
import { podModels, type PodModel } from "../../../lib/kube/analysis/pods";
import { schemaProblems } from "../../../lib/kube/analysis/schema";
import { CLIENT_LABEL, RELEASE_LABEL, type KubeManifest } from "../../../lib/kube/objects";
import { PLACEMENT_FIELDS } from "../../../lib/kube/placement";
import { stackFilePath } from "../../../tools/cli/stackFiles";
import { configSetPath } from "../../support/placements";
import { renderRaw, renderStack, type RenderedStack } from "../../support/stacks";

/** spark-35 on one node pool, spark-41 on another (docs/hardening.md, "Placement"). */
const OVERRIDES: [string, string][] = [
  ['releases[0].placement.nodeSelector["spark-platform.io/pool"]', "spark-35"],
  ["releases[0].placement.tolerations[0].key", "dedicated"],
  ["releases[0].placement.tolerations[0].value", "spark-35"],
  ["releases[0].placement.tolerations[0].effect", "NoSchedule"],
  ['releases[1].placement.nodeSelector["spark-platform.io/pool"]', "spark-41"],
  ["releases[1].placement.nodeSelector.ssd", "true"],
  ["releases[1].placement.tolerations[0].key", "dedicated"],
  ["releases[1].placement.tolerations[0].value", "spark-41"],
  ["releases[1].placement.tolerations[0].effect", "NoSchedule"],
  ["releases[1].placement.topologySpreadConstraints[0].maxSkew", "1"],
  ["releases[1].placement.topologySpreadConstraints[0].topologyKey", "kubernetes.io/hostname"],
  ["releases[1].placement.topologySpreadConstraints[0].whenUnsatisfiable", "ScheduleAnyway"],
  [
    'releases[1].placement.topologySpreadConstraints[0].labelSelector.matchLabels["spark-platform.io/release"]',
    "spark-41",
  ],
  [
    "releases[1].placement.topologySpreadConstraints[0].matchLabelKeys[0]",
    "app.kubernetes.io/component",
  ],
  ["releases[1].placement.priorityClassName", "spark-batch"],
];

const EXPECTED: Record<string, PodPlacement> = {
  "spark-35": {
    nodeSelector: { "spark-platform.io/pool": "spark-35" },
    tolerations: [{ key: "dedicated", value: "spark-35", effect: "NoSchedule" }],
  },
  "spark-41": {
    // `--path ...ssd true` stores a boolean; a label value is text.
    nodeSelector: { "spark-platform.io/pool": "spark-41", ssd: "true" },
    tolerations: [{ key: "dedicated", value: "spark-41", effect: "NoSchedule" }],
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: "kubernetes.io/hostname",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: { "spark-platform.io/release": "spark-41" } },
        matchLabelKeys: ["app.kubernetes.io/component"],
      },
    ],
    priorityClassName: "spark-batch",
  },
};

/** The local stack with the benchmark on (so its Jobs are rendered), optionally placed. */
function localStack(placed: boolean): Promise<RenderedStack> {
  const raw = rawConfigFromStackFile(stackFilePath("local"));
  const values = structuredClone(raw.values) as Record<string, unknown>;
  configSetPath(values, "benchmark.enabled", "true");
  configSetPath(values, "benchmark.image", "spark-platform/pyspark-client:4.1.0");
  if (placed) for (const [path, text] of OVERRIDES) configSetPath(values, path, text);
  return renderRaw({ ...raw, values }, "local");
}

const placementOf = (pod: PodModel): PodPlacement =>
  Object.fromEntries(
    PLACEMENT_FIELDS.filter((f) => pod.spec[f] !== undefined).map((f) => [f, pod.spec[f]]),
  );

/** Manifests with every pod spec's placement fields removed (executor template included). */
function withoutPlacement(manifests: readonly KubeManifest[]): unknown[] {
  const strip = (spec: Record<string, unknown>) => {
    for (const field of PLACEMENT_FIELDS) delete spec[field];
  };
  return structuredClone(manifests).map((m) => {
    const loose = m as unknown as {
      spec?: { template?: { spec?: Record<string, unknown> } };
      data?: Record<string, string>;
    };
    if (loose.spec?.template?.spec) strip(loose.spec.template.spec);
    if (m.kind === "ConfigMap" && loose.data?.["executor.yaml"]) {
      const pod = parseYaml(loose.data["executor.yaml"]) as { spec: Record<string, unknown> };
      strip(pod.spec);
      loose.data["executor.yaml"] = JSON.stringify(pod);
    }
    return m;
  });
}

describe("placement of a rendered stack (local, set with config set --path)", () => {
  let placed: RenderedStack;
  let plain: RenderedStack;
  before(async () => {
    placed = await localStack(true);
    plain = await localStack(false);
  });

  it("every pod of each release carries exactly its release's placement", () => {
    const pods = podModels(placed.manifests);
    const byRelease = new Map<string, string[]>();
    for (const pod of pods) {
      // A notebook is no pod of its release, but it is placed as its release's pods are.
      const release = pod.labels[RELEASE_LABEL] ?? pod.labels[CLIENT_LABEL]!;
      expect(placementOf(pod), pod.origin).to.deep.equal(EXPECTED[release]);
      byRelease.set(release, [
        ...(byRelease.get(release) ?? []),
        pod.labels["app.kubernetes.io/component"]!,
      ]);
    }
    expect(byRelease.get("spark-35")).to.have.members([
      "master",
      "worker",
      "metastore",
      "schema-init",
      "history",
      "benchmark",
    ]);
    expect(byRelease.get("spark-41")).to.have.members([
      "connect",
      "executor",
      "metastore",
      "schema-init",
      "history",
      "benchmark",
      "notebook",
    ]);
  });

  it("the executor pod template the Connect server uses holds the placement", () => {
    const template = placed.manifests.find(
      (m) => m.kind === "ConfigMap" && m.metadata?.name === "spark-41-executor-template",
    ) as unknown as { data: Record<string, string> };
    const pod = parseYaml(template.data["executor.yaml"]!) as { spec: Record<string, unknown> };
    for (const [field, value] of Object.entries(EXPECTED["spark-41"]!)) {
      expect(pod.spec[field], field).to.deep.equal(value);
    }
  });

  it("stays schema-valid, the executor template included", () => {
    const templates = placed.manifests
      .filter((m) => m.kind === "ConfigMap" && m.metadata?.name?.endsWith("-executor-template"))
      .map(
        (m) =>
          parseYaml(
            (m as unknown as { data: Record<string, string> }).data["executor.yaml"]!,
          ) as KubeManifest,
      );
    expect(schemaProblems([...placed.manifests, ...templates])).to.deep.equal([]);
  });

  it("changes nothing but the pods' placement fields", () => {
    expect(placed.manifests.length).to.equal(plain.manifests.length);
    expect(withoutPlacement(placed.manifests)).to.deep.equal(withoutPlacement(plain.manifests));
    expect(placed.manifests).not.to.deep.equal(plain.manifests);
  });

  for (const stack of ["dev", "prod", "local", "local-prod"] as const) {
    it(`the committed ${stack} stack places no pod`, async () => {
      const pods = podModels((await renderStack(stack)).manifests);
      expect(pods.length).to.be.greaterThan(0);
      for (const pod of pods) expect(placementOf(pod), pod.origin).to.deep.equal({});
    });
  }
});
