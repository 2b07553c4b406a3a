import { expect } from "chai";
import { allowedDisruptions, disruptionBudgets } from "../../../../lib/verify/disruptionBudgets";
import { editableManifests, failing, objectsOf } from "../../../support/verifier";

describe("lib/verify/disruptionBudgets: disruption budgets", () => {
  it("counts the evictions a budget allows as the disruption controller does", () => {
    expect(allowedDisruptions({ minAvailable: 1 }, 1)).to.equal(0);
    expect(allowedDisruptions({ maxUnavailable: 1 }, 1)).to.equal(1);
    expect(allowedDisruptions({ maxUnavailable: 1 }, 4)).to.equal(1);
    expect(allowedDisruptions({ minAvailable: 3 }, 4)).to.equal(1);
    expect(allowedDisruptions({ minAvailable: "50%" }, 3)).to.equal(1); // ceil(1.5) = 2 stay
    expect(allowedDisruptions({ maxUnavailable: "25%" }, 2)).to.equal(1); // rounded up
    expect(allowedDisruptions({}, 2)).to.equal(undefined);
  });

  it("prod: the workers' budget allows one eviction of four; nothing else has a budget", async () => {
    const rows = disruptionBudgets(objectsOf(await editableManifests("prod")));
    expect(rows.map((r) => `${r.subject} ${r.pass}`)).to.deep.equal([
      "PodDisruptionBudget/spark-35/spark-35-worker true",
    ]);
    expect(rows[0]!.detail).to.include("allows 1 of 4 replicas");
  });

  it("fails minAvailable 1 on a single replica, naming the Deployment it pins", async () => {
    const manifests = await editableManifests("dev");
    manifests.push({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "spark-41-connect", namespace: "spark", labels: {} },
      spec: {
        minAvailable: 1,
        selector: {
          matchLabels: {
            "spark-platform.io/release": "spark-41",
            "app.kubernetes.io/component": "connect",
          },
        },
      },
    });
    expect(failing(disruptionBudgets(objectsOf(manifests)))).to.deep.equal([
      "PodDisruptionBudget/spark/spark-41-connect: allows 0 disruptions of 1 replica(s) (Deployment/spark/spark-41-connect): blocks every node drain",
    ]);
  });
});
