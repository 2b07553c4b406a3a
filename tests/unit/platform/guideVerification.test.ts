import { expect } from "chai";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
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

  for (const stack of ["dev", "local-prod"] as const) {
    it(`${stack}: each metastore Deployment's env names its own database (guide check 2)`, async () => {
      const rendered = await renderStack(stack);
      const metastores = ofKind<IDeployment>(rendered.manifests, "Deployment").filter(
        (d) => d.metadata?.labels?.["app"] === "hive-metastore",
      );
      expect(metastores).to.have.length(2);
      for (const d of metastores) {
        const release = d.metadata?.labels?.["spark-platform.io/release"];
        const own = rendered.config.releases.find((r) => r.name === release)!.metastore.database;
        const env = JSON.stringify(d.spec?.template.spec?.containers[0]?.env);
        expect(env, release).to.contain(`/${own}?`);
        for (const other of rendered.config.releases.filter((r) => r.name !== release)) {
          expect(env, release).to.not.contain(`/${other.metastore.database}?`);
        }
      }
    });

    it(`${stack}: History Servers log the directory they scan on every scan (guide check 3)`, async () => {
      const rendered = await renderStack(stack);
      const confs = ofKind<IConfigMap>(rendered.manifests, "ConfigMap").filter((c) =>
        c.metadata?.name?.endsWith("-history-conf"),
      );
      expect(confs).to.have.length(2);
      for (const c of confs) {
        expect(c.data?.["log4j2.properties"], c.metadata?.name).to.match(
          /logger\.scan\.name = org\.apache\.spark\.deploy\.history\.FsHistoryProvider\nlogger\.scan\.level = debug/,
        );
      }
    });
  }
});
