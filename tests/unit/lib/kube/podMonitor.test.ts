import { expect } from "chai";
import { schemaProblems } from "../../../../lib/kube/analysis/schema";
import { renderStack } from "../../../support/stacks";

describe("lib/kube/podMonitor: the PodMonitor fields the platform sets, validated", function () {
  this.timeout(60_000);

  it("the local stack's PodMonitors are valid; a broken one is named with its field", async () => {
    const monitors = structuredClone(
      (await renderStack("local")).manifests.filter((m) => m.kind === "PodMonitor"),
    ) as unknown as {
      metadata: { name: string };
      spec: { podMetricsEndpoints: { path: string }[] };
    }[];
    expect(monitors.map((m) => m.metadata.name)).to.deep.equal([
      "spark-35-master",
      "spark-35-worker",
      "spark-41-connect",
    ]);
    expect(schemaProblems(monitors as never)).to.deep.equal([]);
    monitors[0]!.spec.podMetricsEndpoints[1]!.path = "metrics";
    expect(schemaProblems(monitors as never)).to.deep.equal([
      "PodMonitor/spark/spark-35-master: spec.podMetricsEndpoints[1].path must be an absolute path",
    ]);
  });
});
