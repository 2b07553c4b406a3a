import { expect } from "chai";
import type { KubeManifest } from "../../../../lib/kube/objects";
import { metricsAccess } from "../../../../lib/verify/metrics";
import { clusterObjects } from "../../../../lib/verify/objects";
import { renderStack, renderWithMonitoring } from "../../../support/stacks";
import { failing, find, type Loose } from "../../../support/verifier";

const rowsOf = (manifests: readonly KubeManifest[]) => metricsAccess(clusterObjects(manifests));

/** The rendered stack with monitoring on, deep-copied so a test may break it. */
async function monitored(stack: "dev" | "prod"): Promise<Loose[]> {
  return structuredClone((await renderWithMonitoring(stack)).manifests) as Loose[];
}

const peerOf = (namespace: string) => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
});

describe("verifier: metrics access", function () {
  this.timeout(60_000);

  for (const stack of ["dev", "prod"] as const) {
    it(`passes ${stack} with monitoring on, one row per release naming its ports and the namespace`, async () => {
      const rows = rowsOf(await monitored(stack));
      expect(rows.map((r) => `${r.check} ${r.subject}: ${r.detail}`)).to.deep.equal([
        "metrics-access release spark-35: metrics ports 8080, 8081 from namespace monitoring only",
        "metrics-access release spark-41: metrics ports 4040 from namespace monitoring only",
      ]);
      expect(failing(rows)).to.deep.equal([]);
    });
  }

  it("has nothing to say about a stack without monitoring", async () => {
    expect(rowsOf((await renderStack("dev")).manifests)).to.deep.equal([]);
  });

  describe("negative controls on dev", () => {
    const broken = async (edit: (manifests: Loose[]) => void) => {
      const manifests = await monitored("dev");
      edit(manifests);
      return failing(rowsOf(manifests));
    };
    const metricsPolicy = (manifests: Loose[], release: string) =>
      find(manifests, "NetworkPolicy", `${release}-allow-metrics`);

    it("a client namespace of a release admitted", async () => {
      const found = await broken((m) => {
        metricsPolicy(m, "spark-35").spec.ingress[0].from = [peerOf("team-pipelines")];
        metricsPolicy(m, "spark-41").spec.ingress[0].from = [peerOf("team-pipelines")];
      });
      expect(found).to.have.length(2);
      expect(found[0]).to.match(/admits namespace team-pipelines, a client namespace of spark-35/);
    });

    it("the namespace holding the releases admitted", async () => {
      const found = await broken((m) => {
        metricsPolicy(m, "spark-41").spec.ingress[0].from = [peerOf("spark")];
      });
      expect(found.join("\n")).to.match(
        /admits namespace spark, which holds release spark-35, spark-41/,
      );
    });

    it("two releases admitting different namespaces", async () => {
      const found = await broken((m) => {
        metricsPolicy(m, "spark-41").spec.ingress[0].from = [peerOf("observability")];
      });
      expect(found).to.have.length(2);
      expect(found[0]).to.match(/admit monitoring, observability: one monitoring namespace/);
    });

    it("every namespace admitted (namespaceSelector: {})", async () => {
      const found = await broken((m) => {
        metricsPolicy(m, "spark-35").spec.ingress[0].from = [{ namespaceSelector: {} }];
      });
      expect(found.join("\n")).to.match(
        /admits namespaces not named by kubernetes.io\/metadata.name/,
      );
    });

    it("a port that is no UI of the pods it selects (the master's RPC port), or every port", async () => {
      const rpc = await broken((m) => {
        metricsPolicy(m, "spark-35").spec.ingress[0].ports.push({ protocol: "TCP", port: 7077 });
      });
      expect(rpc.join("\n")).to.match(/admits port 7077, which no pod it selects names http-ui/);
      const every = await broken((m) => {
        delete metricsPolicy(m, "spark-41").spec.ingress[0].ports;
      });
      expect(every.join("\n")).to.match(/admits every port/);
    });
  });
});
