import { expect } from "chai";
import { renderStack } from "../../support/stacks";

describe("admission policies of each release, in the rendered stacks", () => {
  it("names differ between two stacks on one cluster (local: spark, local-prod: spark-41)", async () => {
    const names = async (stack: "local" | "local-prod") =>
      (await renderStack(stack)).manifests
        .filter((m) => m.kind.startsWith("ValidatingAdmissionPolicy"))
        .map((m) => `${m.kind}/${m.metadata?.name}`);
    const local = await names("local");
    const localProd = await names("local-prod");
    // Per release: the own-objects policy and the client policy, each with its binding.
    expect(local).to.have.length(8);
    expect(localProd).to.have.length(8);
    expect(local.filter((n) => localProd.includes(n))).to.deep.equal([]);
  });

  it("every release gets both, the standalone one too", async () => {
    const rendered = await renderStack("dev");
    expect(
      rendered.manifests
        .filter((m) => m.kind === "ValidatingAdmissionPolicy")
        .map((m) => m.metadata?.name),
    ).to.have.members([
      "spark-35-own-objects.spark",
      "spark-41-own-objects.spark",
      "spark-35-clients.spark",
      "spark-41-clients.spark",
    ]);
  });
});
