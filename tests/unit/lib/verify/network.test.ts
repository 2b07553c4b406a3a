import { expect } from "chai";
import { networkIsolation } from "../../../../lib/verify/network";
import { editableManifests, failing, objectsOf } from "../../../support/verifier";

describe("lib/verify/network: network isolation", () => {
  it("fails a NetworkPolicy that allows all traffic in the shared namespace", async () => {
    const manifests = await editableManifests("dev");
    manifests.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: {
        name: "spark-35-allow-all",
        namespace: "spark",
        labels: { "spark-platform.io/release": "spark-35" },
      },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}], egress: [{}] },
    });
    const problems = failing(networkIsolation(objectsOf(manifests)));
    expect(problems).to.have.length(2);
    expect(problems[0]).to.match(/^spark-35 -> spark-41: reachable: Deployment\/spark\/spark-35-/);
    expect(problems[1]).to.match(/^spark-41 -> spark-35: reachable: /);
  });

  it("fails when a flow the release needs is blocked", async () => {
    const manifests = (await editableManifests("prod")).filter(
      (m) => !(m.kind === "NetworkPolicy" && m.metadata.name === "spark-35-allow-intra-release"),
    );
    const problems = failing(networkIsolation(objectsOf(manifests)));
    expect(problems).to.include(
      "spark-35: worker -> master 7077: needed flow blocked: Deployment/spark-35/spark-35-worker -> Deployment/spark-35/spark-35-master:7077",
    );
  });
});
