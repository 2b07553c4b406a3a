import { expect } from "chai";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { RegisteredResource } from "../../../../tools/render/evaluate";
import type { KubeManifest } from "../../../../lib/kube/objects";
import { ofKind, renderStack, type RenderedStack } from "../../../support/stacks";
import { renderVariant, VARIANT_METASTORE, type VariantStack } from "./variant";

const STACKS = ["dev", "prod"] as const;

const DATABASE = "postgresql:index/database:Database";
const ROLE = "postgresql:index/role:Role";
const GRANT = "postgresql:index/grant:Grant";
const BUCKET = "aws:s3/bucket:Bucket";
const MARKER = "aws:s3/bucketObjectv2:BucketObjectv2";
/** Resources that hold or guard user data: retained on delete in every stack. */
const DATA_TYPES = [DATABASE, ROLE, GRANT, BUCKET, MARKER];
/** Of those, what `protectData` protects (prod): a `pulumi destroy` or replace must stop there. */
const PROTECTED_IN_PROD = [DATABASE, ROLE, BUCKET];

/** Type of a URN (`urn:pulumi:stack::project::parent$type::name`), the last of its chain. */
const typeOfUrn = (urn: string) => urn.split("::")[2]?.split("$").pop() ?? "";

const ofType = (resources: readonly RegisteredResource[], type: string) =>
  resources.filter((r) => r.type === type);

for (const stackName of STACKS) {
  describe(`hardening: data protection of the ${stackName} stack`, () => {
    let stack: RenderedStack;
    before(async () => {
      stack = await renderStack(stackName);
    });

    it("registers a database, role, PUBLIC revoke and event-log marker per release, and the bucket", () => {
      const releases = stack.config.releases.length;
      expect(ofType(stack.resources, DATABASE)).to.have.length(releases);
      expect(ofType(stack.resources, ROLE)).to.have.length(releases);
      expect(ofType(stack.resources, GRANT)).to.have.length(releases);
      expect(ofType(stack.resources, MARKER)).to.have.length(releases);
      expect(ofType(stack.resources, BUCKET)).to.have.length(
        stack.config.objectStore.createBucket ? 1 : 0,
      );
    });

    it("databases, roles, the PUBLIC revoke, the bucket and prefix markers are retained on delete", () => {
      for (const r of stack.resources.filter((x) => DATA_TYPES.includes(x.type))) {
        expect(r.retainOnDelete, `${r.type} ${r.name}`).to.equal(true);
      }
    });

    it(`databases, roles and the bucket are ${stackName === "prod" ? "" : "not "}protected (protectData)`, () => {
      expect(stack.config.protectData).to.equal(stackName === "prod");
      for (const r of stack.resources.filter((x) => PROTECTED_IN_PROD.includes(x.type))) {
        expect(r.protect, `${r.type} ${r.name}`).to.equal(stackName === "prod");
      }
    });

    it("no Kubernetes object and no component is protected, so decommissioning a release works", () => {
      const workloads = stack.resources.filter(
        (r) => r.type.startsWith("kubernetes:") || r.type.startsWith("spark-platform:"),
      );
      expect(workloads.length).to.be.greaterThan(20);
      for (const r of workloads) expect(r.protect, `${r.type} ${r.name}`).to.equal(false);
    });

    it("databases, roles and grants depend on nothing in Kubernetes", () => {
      for (const r of stack.resources.filter((x) => [DATABASE, ROLE, GRANT].includes(x.type))) {
        expect(
          r.dependencies.length,
          `${r.type} ${r.name} has dependencies to check`,
        ).to.be.greaterThan(r.type === ROLE ? -1 : 0);
        const kube = r.dependencies.filter((urn) => typeOfUrn(urn).startsWith("kubernetes:"));
        expect(kube, `${r.type} ${r.name}`).to.deep.equal([]);
      }
    });

    it("the dependency runs the other way: each schema-init Job waits for its Database", () => {
      const jobs = stack.resources.filter((r) => r.type === "kubernetes:batch/v1:Job");
      const initJobs = jobs.filter((r) => r.name.endsWith("-schema-init"));
      expect(initJobs).to.have.length(stack.config.releases.length);
      for (const job of initJobs) {
        expect(job.dependencies.map(typeOfUrn), job.name).to.include(DATABASE);
      }
    });
  });
}

describe("hardening: replacing a metastore Deployment never touches its database", () => {
  let dev: RenderedStack;
  let variant: VariantStack;
  before(async () => {
    dev = await renderStack("dev");
    variant = await renderVariant();
  });

  it("the variant really changes every metastore Deployment (image and heap)", () => {
    const metastores = (m: readonly KubeManifest[]) =>
      ofKind<IDeployment>(m, "Deployment").filter((d) => d.metadata?.name?.endsWith("-metastore"));
    const before = metastores(dev.manifests);
    const after = metastores(variant.manifests);
    expect(after).to.have.length(before.length);
    for (const d of after) {
      const container = d.spec!.template.spec!.containers[0]!;
      expect(container.image).to.equal(VARIANT_METASTORE.image);
      const original = before.find((b) => b.metadata?.name === d.metadata?.name)!;
      expect(JSON.stringify(original.spec)).to.not.equal(JSON.stringify(d.spec));
    }
  });

  it("leaves every Database, Role and Grant with identical inputs, options and dependencies", () => {
    for (const type of [DATABASE, ROLE, GRANT]) {
      const before = ofType(dev.resources, type);
      const after = ofType(variant.evaluation.resources, type);
      expect(
        after.map((r) => r.name),
        type,
      ).to.have.members(before.map((r) => r.name));
      for (const b of before) {
        const a = after.find((r) => r.name === b.name)!;
        expect(a.inputs, `${type} ${b.name} inputs`).to.deep.equal(b.inputs);
        expect(a.dependencies, `${type} ${b.name} dependencies`).to.deep.equal(b.dependencies);
        expect([a.protect, a.retainOnDelete]).to.deep.equal([b.protect, b.retainOnDelete]);
      }
    }
  });
});
