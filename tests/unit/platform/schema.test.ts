import { expect } from "chai";
import { parse as parseYaml } from "yaml";
import { schemaProblems } from "../../../lib/kube/analysis/schema";
import type { KubeManifest } from "../../../lib/kube/objects";
import { renderStack } from "../../support/stacks";

describe("rendered manifests against the Kubernetes OpenAPI schemas", () => {
  for (const stack of ["dev", "prod"] as const) {
    it(`every object of ${stack}, and the executor pod template, is schema-valid`, async () => {
      const { manifests } = await renderStack(stack);
      const templates = manifests
        .filter((m) => m.kind === "ConfigMap" && m.metadata?.name?.endsWith("-executor-template"))
        .map(
          (m) =>
            parseYaml(
              (m as unknown as { data: Record<string, string> }).data["executor.yaml"]!,
            ) as KubeManifest,
        );
      expect(templates).to.have.length(1);
      expect(schemaProblems([...manifests, ...templates])).to.deep.equal([]);
    });
  }

  it("catches an invalid object, naming it", async () => {
    const { manifests } = await renderStack("dev");
    const master = manifests.find(
      (m) => m.kind === "Service" && m.metadata?.name === "spark-35-master",
    )!;
    const broken = {
      ...master,
      spec: { ports: [{ port: "seven-thousand" }] },
    } as unknown as KubeManifest;
    const problems = schemaProblems([broken]);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/^Service\/spark\/spark-35-master: /);
  });
});
