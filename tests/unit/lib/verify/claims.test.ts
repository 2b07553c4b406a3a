import { expect } from "chai";
import { claimReferences } from "../../../../lib/verify/claims";
import { editableManifests, failing, find, objectsOf } from "../../../support/verifier";

describe("lib/verify/claims: claim references", () => {
  for (const stack of ["dev", "prod"] as const) {
    it(`passes ${stack}: the master alone mounts a claim, its own recovery claim`, async () => {
      const namespace = stack === "dev" ? "spark" : "spark-35";
      const rows = claimReferences(objectsOf(await editableManifests(stack)));
      expect(rows.map((r) => [r.subject, r.pass, r.detail])).to.deep.equal([
        [
          `Deployment/${namespace}/spark-35-master`,
          true,
          "own claims only: spark-35-master-recovery",
        ],
      ]);
    });
  }

  it("fails a pod that mounts the other release's claim in the shared namespace", async () => {
    const manifests = await editableManifests("dev");
    const connect = find(manifests, "Deployment", "spark-41-connect").spec.template.spec;
    connect.volumes.push({
      name: "recovery",
      persistentVolumeClaim: { claimName: "spark-35-master-recovery" },
    });
    expect(failing(claimReferences(objectsOf(manifests)))).to.deep.equal([
      "Deployment/spark/spark-41-connect: mounts PersistentVolumeClaim spark/spark-35-master-recovery of release spark-35",
    ]);
  });

  it("fails a claim that is not there, and a claim without the release label", async () => {
    const manifests = await editableManifests("prod");
    const claim = find(manifests, "PersistentVolumeClaim", "spark-35-master-recovery");
    delete claim.metadata.labels["spark-platform.io/release"];
    const history = find(manifests, "Deployment", "spark-35-history").spec.template.spec;
    history.volumes.push({ name: "gone", persistentVolumeClaim: { claimName: "spark-35-gone" } });
    expect(failing(claimReferences(objectsOf(manifests)))).to.deep.equal([
      "Deployment/spark-35/spark-35-history: mounts PersistentVolumeClaim spark-35/spark-35-gone, which does not exist",
      "Deployment/spark-35/spark-35-master: mounts PersistentVolumeClaim spark-35/spark-35-master-recovery of release <no release label>",
    ]);
  });
});
