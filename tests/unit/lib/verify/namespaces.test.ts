import { expect } from "chai";
import { namespaceLayout } from "../../../../lib/verify/namespaces";
import { editableManifests, failing, find, objectsOf } from "../../../support/verifier";

describe("lib/verify/namespaces: namespace layout", () => {
  it("fails a release object placed in the other release's namespace", async () => {
    const manifests = await editableManifests("prod");
    find(manifests, "ConfigMap", "spark-41-spark-defaults").metadata.namespace = "spark-35";
    expect(failing(namespaceLayout(objectsOf(manifests)))).to.have.members([
      "release spark-35: namespace spark-35 also holds spark-41",
      "release spark-41: objects spread over namespaces spark-35, spark-41; namespace spark-35 also holds spark-35",
    ]);
  });

  it("fails a layout other than the expected one and a namespace without pod security", async () => {
    const manifests = await editableManifests("prod");
    delete find(manifests, "Namespace", "spark-41").metadata.labels[
      "pod-security.kubernetes.io/enforce"
    ];
    expect(failing(namespaceLayout(objectsOf(manifests), "shared"))).to.have.members([
      "release spark-35: layout shared expects one namespace, releases use spark-35, spark-41",
      "release spark-41: layout shared expects one namespace, releases use spark-35, spark-41",
      "Namespace/spark-41: Namespace spark-41 has no pod-security.kubernetes.io/enforce label",
    ]);
  });

  it("fails a namespace where a pod breaks the Pod Security level it enforces", async () => {
    const manifests = await editableManifests("prod");
    const connect = find(manifests, "Deployment", "spark-41-connect").spec.template.spec;
    connect.containers[0].securityContext.allowPrivilegeEscalation = true;
    expect(failing(namespaceLayout(objectsOf(manifests)))).to.deep.equal([
      "Namespace/spark-41: Deployment/spark-41/spark-41-connect breaks Pod Security restricted: allowPrivilegeEscalation != false: container connect",
    ]);
  });

  it("holds pods to the namespace's level: baseline in dev refuses host access, not escalation", async () => {
    const manifests = await editableManifests("dev");
    expect(find(manifests, "Namespace", "spark").metadata.labels).to.include({
      "pod-security.kubernetes.io/enforce": "baseline",
    });
    const worker = find(manifests, "Deployment", "spark-35-worker").spec.template.spec;
    worker.containers[0].securityContext.allowPrivilegeEscalation = true;
    expect(failing(namespaceLayout(objectsOf(manifests)))).to.deep.equal([]);
    worker.hostNetwork = true;
    expect(failing(namespaceLayout(objectsOf(manifests)))).to.deep.equal([
      "Namespace/spark: Deployment/spark/spark-35-worker breaks Pod Security baseline: host namespaces: hostNetwork=true",
    ]);
  });
});
