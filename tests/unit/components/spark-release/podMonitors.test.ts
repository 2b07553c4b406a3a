import { expect } from "chai";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { releasePodMonitors } from "../../../../components/spark-release/podMonitors";
import { connectDeployment } from "../../../../components/spark-release/manifests/connect";
import {
  masterDeployment,
  workerDeployment,
} from "../../../../components/spark-release/manifests/standalone";
import type { PlatformConfig, ReleaseConfig } from "../../../../lib/config/model";
import { selectorMatches } from "../../../../lib/kube/analysis/networkPolicy";
import { SOURCE_ANNOTATION } from "../../../../lib/kube/objects";
import type { IPodMonitor } from "../../../../lib/kube/podMonitor";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";

const configWith = (monitoring?: Record<string, unknown>) =>
  parseValid(rawConfig({ ...baseValues(), ...(monitoring ? { monitoring } : {}) }));
const monitored = configWith({ namespace: "monitoring" });
const [standalone, connect] = monitored.releases as [ReleaseConfig, ReleaseConfig];

const WORKLOADS: Record<string, (c: PlatformConfig, r: ReleaseConfig) => IDeployment> = {
  master: masterDeployment,
  worker: workerDeployment,
  connect: connectDeployment,
};

/** Each PodMonitor with the Deployment of the same component, as the builders make it. */
function pairs(release: ReleaseConfig): [IPodMonitor, IDeployment][] {
  return Object.entries(releasePodMonitors(monitored, release)).map(([component, monitor]) => [
    monitor!,
    WORKLOADS[component]!(monitored, release),
  ]);
}

describe("pure: the releases' PodMonitors", () => {
  it("one per scrapeable workload kind: master and worker (standalone), connect (Connect)", () => {
    expect(Object.keys(releasePodMonitors(monitored, standalone))).to.deep.equal([
      "master",
      "worker",
    ]);
    expect(Object.keys(releasePodMonitors(monitored, connect))).to.deep.equal(["connect"]);
  });

  it("none when monitoring is absent or podMonitors is off", () => {
    for (const config of [configWith(), configWith({ namespace: "m", podMonitors: false })]) {
      for (const release of config.releases) {
        expect(releasePodMonitors(config, release)).to.deep.equal({});
      }
    }
  });

  it("in the release's namespace, selecting its own workload's pods and no other pod", () => {
    const everyWorkload = [
      masterDeployment(monitored, standalone),
      workerDeployment(monitored, standalone),
      connectDeployment(monitored, connect),
    ];
    for (const release of [standalone, connect]) {
      for (const [monitor, own] of pairs(release)) {
        expect(monitor.apiVersion).to.equal("monitoring.coreos.com/v1");
        expect(monitor.metadata.namespace).to.equal(release.namespace);
        const selected = everyWorkload.filter((d) =>
          selectorMatches(monitor.spec.selector, d.spec!.template.metadata!.labels!),
        );
        expect(selected, monitor.metadata.name).to.deep.equal([own]);
      }
    }
  });

  it("scrapes a port the pod names, on Spark's paths, every series labelled with the release", () => {
    const scraped: Record<string, string[]> = {};
    for (const release of [standalone, connect]) {
      for (const [monitor, deployment] of pairs(release)) {
        const ports = deployment.spec!.template.spec!.containers[0]!.ports!.map((p) => p.name);
        for (const endpoint of monitor.spec.podMetricsEndpoints) {
          expect(ports, monitor.metadata.name).to.include(endpoint.port);
          expect(endpoint.relabelings).to.deep.equal([
            { action: "replace", targetLabel: "release", replacement: release.name },
          ]);
        }
        scraped[monitor.metadata.name] = monitor.spec.podMetricsEndpoints.map((e) => e.path);
      }
    }
    expect(scraped).to.deep.equal({
      "spark-35-master": ["/metrics/master/prometheus", "/metrics/applications/prometheus"],
      "spark-35-worker": ["/metrics/prometheus"],
      "spark-41-connect": ["/metrics/prometheus", "/metrics/executors/prometheus"],
    });
  });

  it("names its builder in the source annotation", () => {
    const monitor = releasePodMonitors(monitored, connect).connect!;
    expect(monitor.metadata.annotations?.[SOURCE_ANNOTATION]).to.equal(
      "components/spark-release/podMonitors.ts#releasePodMonitors",
    );
  });
});
