import { expect } from "chai";
import { parsePlatformConfig } from "../../../lib/config/parse";
import type { RegisteredResource } from "../../../tools/render/evaluate";
import type { KubeManifest } from "../../../lib/kube/objects";
import { stackFilePath } from "../../../tools/cli/stackFiles";
import type { RawConfig } from "../../../lib/config/model";
import { rawConfigFromStackFile } from "../../../lib/config/sources";
import { renderRaw, renderStack, type RenderedStack } from "../../support/stacks";

/** Resources of one release that hold data: kept (same URN) when it is decommissioned. */
const DATA_TYPES = [
  "postgresql:index/database:Database",
  "postgresql:index/role:Role",
  "aws:s3/bucketObjectv2:BucketObjectv2",
];
const WORKLOAD_KINDS = [
  "Deployment",
  "Service",
  "Role",
  "RoleBinding",
  "NetworkPolicy",
  "ServiceAccount",
  "Job",
  "PodDisruptionBudget",
];

/**
 * The committed prod stack (perRelease namespaces, protectData: true) after the rollout:
 * every job on spark-41, spark-35 decommissioned or (rollback) active again.
 */
function prodAfterRollout(decommissioned: boolean): RawConfig {
  const prod = rawConfigFromStackFile(stackFilePath("prod"));
  const releases = (prod.values["releases"] as Record<string, unknown>[]).map((r) =>
    r["name"] === "spark-35" ? { ...r, decommissioned } : r,
  );
  const jobs = (prod.values["jobs"] as Record<string, unknown>[]).map((j) => ({
    ...j,
    release: "spark-41",
  }));
  return { ...prod, values: { ...prod.values, releases, jobs } };
}

const ofRelease = (manifests: readonly KubeManifest[], release: string) =>
  manifests.filter((m) => m.metadata?.labels?.["spark-platform.io/release"] === release);
const dataOf = (resources: readonly RegisteredResource[], release: string) =>
  resources.filter((r) => DATA_TYPES.includes(r.type) && r.name.startsWith(`${release}-`));
/** What makes a URN: type, name and parent chain (the project and stack are fixed). */
const urnParts = (r: RegisteredResource) => `${r.parent}|${r.type}::${r.name}`;

describe("decommission and rollback", () => {
  let active: RenderedStack;
  let decommissioned: RenderedStack;
  let rolledBack: RenderedStack;

  before(async () => {
    active = await renderStack("prod");
    decommissioned = await renderRaw(prodAfterRollout(true), "prod");
    rolledBack = await renderRaw(prodAfterRollout(false), "prod");
  });

  it("a decommissioned release registers no workloads, RBAC, policies or ServiceAccount", () => {
    const left = ofRelease(decommissioned.manifests, "spark-35");
    expect(left.filter((m) => WORKLOAD_KINDS.includes(m.kind))).to.deep.equal([]);
    // Only its namespace stays (it belongs to the stack); Secrets and ConfigMaps go too.
    expect(left.map((m) => `${m.kind}/${m.metadata?.name}`)).to.deep.equal(["Namespace/spark-35"]);
    expect(ofRelease(active.manifests, "spark-35").length).to.be.greaterThan(10);
    expect(
      decommissioned.resources.some(
        (r) => r.type === "spark-platform:spark:SparkRelease" && r.name === "spark-35-spark",
      ),
    ).to.equal(false);
  });

  it("keeps its database, role and prefix marker with the same type, name and parent (same URN)", () => {
    const before = dataOf(active.resources, "spark-35");
    const after = dataOf(decommissioned.resources, "spark-35");
    expect(before.map((r) => r.type).sort()).to.deep.equal([...DATA_TYPES].sort());
    expect(after.map(urnParts).sort()).to.deep.equal(before.map(urnParts).sort());
    for (const resource of after) {
      const original = before.find((r) => r.type === resource.type)!;
      expect(resource.inputs, resource.type).to.deep.equal(original.inputs);
    }
  });

  it("retains the data resources on delete and protects them (prod sets protectData)", () => {
    expect(decommissioned.config.protectData).to.equal(true);
    const data = dataOf(decommissioned.resources, "spark-35");
    expect(data).to.have.length(3);
    for (const resource of data) {
      expect(resource.retainOnDelete, resource.name).to.equal(true);
      expect(resource.protect, resource.name).to.equal(true);
    }
  });

  it("leaves the other release untouched", () => {
    expect(ofRelease(decommissioned.manifests, "spark-41")).to.deep.equal(
      ofRelease(active.manifests, "spark-41"),
    );
    const others = (s: RenderedStack) => s.resources.filter((r) => r.name.startsWith("spark-41-"));
    expect(others(decommissioned)).to.deep.equal(others(active));
  });

  it("refuses to decommission a release that still has jobs, naming the job", () => {
    const raw = prodAfterRollout(true);
    const jobs = [{ id: "daily-sales-rollup", release: "spark-35" }];
    const result = parsePlatformConfig({ ...raw, values: { ...raw.values, jobs } });
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.issues).to.have.length(1);
    expect(result.issues[0]!.key).to.equal("spark-platform:jobs[0].release");
    expect(result.issues[0]!.message).to.contain("daily-sales-rollup");
    expect(result.issues[0]!.message).to.contain("decommissioned");
  });

  it("rollback (decommissioned: false) restores exactly the original resources", () => {
    const summary = (s: RenderedStack) =>
      [...s.resources].sort((a, b) => urnParts(a).localeCompare(urnParts(b)));
    expect(summary(rolledBack)).to.deep.equal(summary(active));
    const database = rolledBack.resources.find(
      (r) => r.type === "postgresql:index/database:Database" && r.name === "spark-35-metastore-db",
    )!;
    expect(database.inputs["name"]).to.equal("metastore_spark35");
    const marker = rolledBack.resources.find(
      (r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2" && r.name.startsWith("spark-35-"),
    )!;
    expect(marker.inputs["key"]).to.equal("3.5/events/.keep");
  });
});
