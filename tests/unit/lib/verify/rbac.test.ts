import { expect } from "chai";
import { rbacSeparation } from "../../../../lib/verify/rbac";
import { editableManifests, failing, find, objectsOf } from "../../../support/verifier";

describe("lib/verify/rbac: RBAC separation", () => {
  it("fails a RoleBinding to another release's account and the pod-create right it gives", async () => {
    const manifests = await editableManifests("dev");
    find(manifests, "RoleBinding", "spark-41-executor-manager").subjects[0].name = "spark-35-spark";
    expect(failing(rbacSeparation(objectsOf(manifests)))).to.have.members([
      "RoleBinding/spark/spark-41-executor-manager: binds ServiceAccount spark/spark-35-spark of release spark-35",
      "standalone release spark-35: RoleBinding/spark/spark-41-executor-manager grants Role/spark/spark-41-executor-manager (create pods) to spark-35-spark",
    ]);
  });

  it("fails a pod running as another release's ServiceAccount", async () => {
    const manifests = await editableManifests("prod");
    find(manifests, "Deployment", "spark-41-history").spec.template.spec.serviceAccountName =
      "spark-35-spark";
    expect(failing(rbacSeparation(objectsOf(manifests)))).to.deep.equal([
      "Deployment/spark-41/spark-41-history: runs as ServiceAccount spark-41/spark-35-spark, which does not exist",
    ]);
  });

  it("fails executors whose conf names another account", async () => {
    const manifests = await editableManifests("dev");
    const conf = find(manifests, "ConfigMap", "spark-41-spark-defaults");
    conf.data["spark-defaults.conf"] = conf.data["spark-defaults.conf"].replace(
      "spark.kubernetes.authenticate.executor.serviceAccountName spark-41-spark",
      "spark.kubernetes.authenticate.executor.serviceAccountName spark-35-spark",
    );
    expect(failing(rbacSeparation(objectsOf(manifests)))).to.deep.equal([
      "ConfigMap/spark/spark-41-executor-template#executor.yaml: runs as ServiceAccount spark/spark-35-spark of release spark-35",
    ]);
  });
});
