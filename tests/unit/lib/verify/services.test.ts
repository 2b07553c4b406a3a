import { expect } from "chai";
import { serviceIsolation } from "../../../../lib/verify/services";
import { editableManifests, failing, find, objectsOf } from "../../../support/verifier";

describe("lib/verify/services: service isolation", () => {
  it("fails a Service that selects by app label only, naming the foreign pods", async () => {
    const manifests = await editableManifests("dev");
    find(manifests, "Service", "spark-35-master").spec.selector = {
      "app.kubernetes.io/name": "spark",
    };
    const [problem, ...rest] = failing(serviceIsolation(objectsOf(manifests)));
    expect(rest).to.deep.equal([]);
    expect(problem).to.match(/^Service\/spark\/spark-35-master: /);
    expect(problem).to.include("does not pin spark-platform.io/release=spark-35");
    expect(problem).to.include("Deployment/spark/spark-41-connect (spark-41)");
    expect(problem).to.include("ConfigMap/spark/spark-41-executor-template#executor.yaml");
  });

  it("fails two releases' Services with one name in a namespace", async () => {
    const manifests = await editableManifests("dev");
    const copy = structuredClone(find(manifests, "Service", "spark-41-history"));
    copy.metadata.name = "spark-35-history";
    manifests.push(copy);
    const problems = failing(serviceIsolation(objectsOf(manifests)));
    expect(problems).to.have.length(2);
    for (const p of problems) {
      expect(p).to.include("Service/spark/spark-35-history: 2 Services share");
      expect(p).to.include("(spark-35, spark-41)");
    }
  });
});
