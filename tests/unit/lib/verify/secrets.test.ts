import { expect } from "chai";
import { secretReferences } from "../../../../lib/verify/secrets";
import { editableManifests, failing, find, objectsOf, type Loose } from "../../../support/verifier";

describe("lib/verify/secrets: secret references", () => {
  it("fails a Spark pod that reads the other release's object-store Secret", async () => {
    const manifests = await editableManifests("prod");
    const worker = find(manifests, "Deployment", "spark-35-worker").spec.template.spec;
    worker.volumes.find((v: Loose) => v.name === "object-store-credentials").secret.secretName =
      "spark-41-object-store";
    expect(failing(secretReferences(objectsOf(manifests)))).to.deep.equal([
      "Deployment/spark-35/spark-35-worker: references Secret spark-35/spark-41-object-store, which does not exist",
    ]);
  });
});
