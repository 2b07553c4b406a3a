import { expect } from "chai";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { clientPodRequest } from "../../../lib/kube/analysis/clientAdmission";
import { NetworkModel } from "../../../lib/kube/analysis/networkPolicy";
import { admissionOutcome } from "../../../lib/kube/analysis/validatingAdmission";
import { CLIENT_LABEL } from "../../../lib/kube/objects";
import { PORTS } from "../../../lib/naming/names";
import { ofKind, renderStack } from "../../support/stacks";

/** The pod template of a rendered Deployment, as a network endpoint. */
async function front(stack: "dev" | "prod", name: string) {
  const deployment = ofKind<IDeployment>((await renderStack(stack)).manifests, "Deployment").find(
    (d) => d.metadata?.name === name,
  )!;
  return {
    namespace: deployment.metadata!.namespace!,
    labels: deployment.spec!.template.metadata!.labels!,
  };
}

describe("clients of the rendered stacks", () => {
  it("dev creates each client namespace once, restricted, and keeps it when the stack goes", async () => {
    const { resources, evaluation } = await renderStack("dev");
    const namespaces = resources.filter((r) => r.type === "kubernetes:core/v1:Namespace");
    const created = namespaces.filter((r) => r.name !== "spark");
    expect(created.map((r) => r.name).sort()).to.deep.equal([
      "airflow",
      "team-data-science",
      "team-pipelines",
    ]);
    for (const namespace of created) {
      expect(namespace.retainOnDelete, namespace.name).to.equal(true);
      expect(namespace.protect, namespace.name).to.equal(false);
    }
    // The release namespace keeps its own lifecycle.
    expect(namespaces.find((r) => r.name === "spark")!.retainOnDelete).to.equal(false);
    const releases = evaluation.exports["releases"] as Record<
      string,
      { readonly clientNamespaces: readonly string[] }
    >;
    expect(releases["spark-35"]!.clientNamespaces).to.deep.equal(["team-pipelines", "airflow"]);
    expect(releases["spark-41"]!.clientNamespaces).to.deep.equal(["team-data-science", "airflow"]);
  });

  it("prod creates none: the teams' namespaces exist before pulumi up", async () => {
    const { resources } = await renderStack("prod");
    expect(
      resources.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => r.name),
    ).to.have.members(["spark-35", "spark-41"]);
  });

  for (const stack of ["dev", "prod"] as const) {
    it(`${stack}: a labelled pod reaches its release from a granted namespace only, and admission agrees`, async () => {
      const { manifests } = await renderStack(stack);
      const model = new NetworkModel(manifests);
      const master = await front(stack, "spark-35-master");
      const connect = await front(stack, "spark-41-connect");
      const client = (namespace: string, release: string) => ({
        namespace,
        labels: { [CLIENT_LABEL]: release },
      });
      const admitted = (namespace: string, release: string, serviceAccount?: string) =>
        admissionOutcome(
          manifests,
          clientPodRequest({
            namespace,
            clientOf: release,
            ...(serviceAccount ? { serviceAccount } : {}),
          }),
        ).allowed;

      expect(
        model.canReach(client("team-pipelines", "spark-35"), master, PORTS.masterRpc),
      ).to.equal(true);
      expect(model.canReach(client("airflow", "spark-35"), master, PORTS.masterRpc)).to.equal(true);
      expect(
        model.canReach(client("team-data-science", "spark-35"), master, PORTS.masterRpc),
      ).to.equal(false);
      expect(model.canReach(client("airflow", "spark-41"), connect, PORTS.connectGrpc)).to.equal(
        true,
      );
      expect(
        model.canReach(client("team-pipelines", "spark-41"), connect, PORTS.connectGrpc),
      ).to.equal(false);
      // Anyone's namespace: the label alone no longer opens anything.
      expect(model.canReach(client("default", "spark-35"), master, PORTS.masterRpc)).to.equal(
        false,
      );

      expect(admitted("team-pipelines", "spark-35")).to.equal(true);
      expect(admitted("airflow", "spark-35", "airflow-worker")).to.equal(true);
      expect(admitted("airflow", "spark-41", "airflow-worker")).to.equal(true);
      expect(admitted("airflow", "spark-35", "default")).to.equal(false);
      expect(admitted("team-data-science", "spark-35")).to.equal(false);
      expect(admitted("default", "spark-41")).to.equal(false);
      expect(admitted(master.namespace, "spark-35", "spark-35-spark")).to.equal(false);
    });
  }
});
