import { expect } from "chai";
import { onlyFrom, readyNodes, serverPod, spreadBudget, spreadDeployment } from "./twoNodeObjects";

describe("live-suite helpers: the two-node check's objects", () => {
  it("pins a server pod to its node by hostname, Pod Security restricted", () => {
    const pod = serverPod("ns", "b", "spark-node-2") as {
      spec: {
        nodeSelector: Record<string, string>;
        securityContext: Record<string, unknown>;
        containers: { securityContext: Record<string, unknown> }[];
      };
    };
    expect(pod.spec.nodeSelector).to.deep.equal({ "kubernetes.io/hostname": "spark-node-2" });
    expect(pod.spec.securityContext).to.include({ runAsNonRoot: true });
    expect(pod.spec.containers[0]!.securityContext).to.include({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
    });
  });

  it("the policy admits into one side only the other side's pods", () => {
    const p = onlyFrom("ns", "b", "a") as { spec: Record<string, unknown> };
    expect(p.spec).to.deep.equal({
      podSelector: { matchLabels: { side: "b" } },
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ podSelector: { matchLabels: { side: "a" } } }] }],
    });
  });

  it("spreads two replicas one per node, and the budget selects them", () => {
    const d = spreadDeployment("ns") as {
      spec: { replicas: number; template: { spec: { topologySpreadConstraints: unknown[] } } };
    };
    expect(d.spec.replicas).to.equal(2);
    expect(d.spec.template.spec.topologySpreadConstraints).to.deep.equal([
      {
        maxSkew: 1,
        topologyKey: "kubernetes.io/hostname",
        whenUnsatisfiable: "DoNotSchedule",
        labelSelector: { matchLabels: { app: "spread" } },
      },
    ]);
    expect(spreadBudget("ns", 1)).to.deep.include({
      spec: { minAvailable: 1, selector: { matchLabels: { app: "spread" } } },
    });
  });

  it("reads Ready nodes only", () => {
    const node = (name: string, status: string) => ({
      metadata: { name },
      status: { conditions: [{ type: "Ready", status }] },
    });
    expect(readyNodes([node("spark-node", "True"), node("spark-node-2", "Unknown")])).to.deep.equal(
      ["spark-node"],
    );
  });
});
