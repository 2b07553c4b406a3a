import { expect } from "chai";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { ofKind, renderStack } from "../../support/stacks";

/** The guide's verification commands select on a plain `app` label (seed-guide, "Verification"). */
describe("labels: the guide's selectors find what the guide expects", () => {
  for (const stack of ["dev", "local"] as const) {
    it(`${stack}: app=hive-metastore selects both metastore Deployments, app=spark-history-server both History Servers`, async () => {
      const rendered = await renderStack(stack);
      const deployments = ofKind<IDeployment>(rendered.manifests, "Deployment");
      const selected = (app: string) =>
        deployments
          .filter((d) => d.metadata?.labels?.["app"] === app)
          .map((d) => d.metadata?.name)
          .sort();
      expect(selected("hive-metastore")).to.deep.equal([
        "spark-35-metastore",
        "spark-41-metastore",
      ]);
      expect(selected("spark-history-server")).to.deep.equal([
        "spark-35-history",
        "spark-41-history",
      ]);
      // Pods carry it too: `kubectl logs -l app=spark-history-server` reads pods.
      for (const d of deployments) {
        expect(d.spec?.template.metadata?.labels?.["app"], d.metadata?.name).to.equal(
          d.metadata?.labels?.["app"],
        );
      }
    });
  }
});
