import { expect } from "chai";
import type { IPodMonitor } from "../../lib/kube/podMonitor";
import { renderStack } from "../support/stacks";
import { localStackConfig } from "./clients";
import {
  factComplaints,
  frontMetricsUrls,
  prometheusObjects,
  releaseFactQuery,
  scrapeComplaints,
  scrapeConfigs,
  type DiscoveredPod,
} from "./prometheus";

const config = localStackConfig("local");

async function podMonitors(): Promise<IPodMonitor[]> {
  return (await renderStack("local")).manifests.filter(
    (m) => m.kind === "PodMonitor",
  ) as unknown as IPodMonitor[];
}

const pod = (name: string, labels: Record<string, string>, ip: string): DiscoveredPod => ({
  namespace: "spark",
  name,
  labels,
  ip,
  ports: { "http-ui": name.includes("worker") ? 8081 : name.includes("master") ? 8080 : 4040 },
});
const MASTER = pod(
  "spark-35-master-x",
  { "spark-platform.io/release": "spark-35", "app.kubernetes.io/component": "master" },
  "10.0.0.1",
);
const WORKER = pod(
  "spark-35-worker-x",
  { "spark-platform.io/release": "spark-35", "app.kubernetes.io/component": "worker" },
  "10.0.0.2",
);
const CONNECT = pod(
  "spark-41-connect-x",
  { "spark-platform.io/release": "spark-41", "app.kubernetes.io/component": "connect" },
  "10.0.0.3",
);
/** A pod of the other release with the master's component label: must never be selected. */
const IMPOSTOR = pod(
  "spark-41-master-x",
  { "spark-platform.io/release": "spark-41", "app.kubernetes.io/component": "master" },
  "10.0.0.9",
);

describe("live Prometheus (pure parts)", function () {
  this.timeout(60_000);

  it("one job per PodMonitor endpoint, targets selected by release and component at the named port", async () => {
    const jobs = scrapeConfigs(await podMonitors(), [MASTER, WORKER, CONNECT, IMPOSTOR]);
    const summary = jobs.map((j) => [
      j["job_name"],
      j["metrics_path"],
      (j["static_configs"] as { targets: string[] }[]).flatMap((c) => c.targets),
      (j["relabel_configs"] as { target_label: string; replacement: string }[]).map(
        (r) => `${r.target_label}=${r.replacement}`,
      ),
    ]);
    expect(summary).to.deep.equal([
      [
        "podMonitor/spark/spark-35-master/0",
        "/metrics/master/prometheus",
        ["10.0.0.1:8080"],
        ["release=spark-35"],
      ],
      [
        "podMonitor/spark/spark-35-master/1",
        "/metrics/applications/prometheus",
        ["10.0.0.1:8080"],
        ["release=spark-35"],
      ],
      [
        "podMonitor/spark/spark-35-worker/0",
        "/metrics/prometheus",
        ["10.0.0.2:8081"],
        ["release=spark-35"],
      ],
      [
        "podMonitor/spark/spark-41-connect/0",
        "/metrics/prometheus",
        ["10.0.0.3:4040"],
        ["release=spark-41"],
      ],
      [
        "podMonitor/spark/spark-41-connect/1",
        "/metrics/executors/prometheus",
        ["10.0.0.3:4040"],
        ["release=spark-41"],
      ],
    ]);
  });

  it("Prometheus runs restricted, with no API token, in the monitoring namespace", async () => {
    const objects = prometheusObjects(config, await podMonitors(), [MASTER]);
    const deployment = objects.find((o) => o["kind"] === "Deployment") as {
      metadata: { namespace: string };
      spec: {
        template: {
          spec: {
            automountServiceAccountToken: boolean;
            securityContext: { runAsNonRoot: boolean };
          };
        };
      };
    };
    expect(deployment.metadata.namespace).to.equal("monitoring");
    expect(deployment.spec.template.spec.automountServiceAccountToken).to.equal(false);
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).to.equal(true);
    expect(objects.map((o) => o["kind"])).to.deep.equal([
      "Namespace",
      "ServiceAccount",
      "ConfigMap",
      "Deployment",
    ]);
  });

  it("complains about a pool without targets, a target down, a release without series", () => {
    const pools = ["a", "b"];
    const complaints = scrapeComplaints(
      config,
      pools,
      [{ scrapePool: "a", health: "down", labels: { pod: "p" }, lastError: "refused" }],
      { "spark-35": 10 },
    );
    expect(complaints).to.deep.equal([
      "b: no target discovered",
      "a p: down (refused)",
      'no series with release="spark-41"',
    ]);
    expect(
      scrapeComplaints(config, ["a"], [{ scrapePool: "a", health: "up", labels: {} }], {
        "spark-35": 1,
        "spark-41": 1,
      }),
    ).to.deep.equal([]);
  });

  it("predicts each release's fact from its config: alive workers, executor metrics", () => {
    const [r35, r41] = config.releases;
    expect(releaseFactQuery(r35!)).to.equal(
      'sum(metrics_master_aliveWorkers_Value{release="spark-35"})',
    );
    expect(releaseFactQuery(r41!)).to.equal(
      'count(metrics_executor_JVMHeapMemory_bytes{release="spark-41"})',
    );
    expect(factComplaints(config, { "spark-35": 1, "spark-41": 1 })).to.deep.equal([]);
    expect(factComplaints(config, { "spark-35": 0, "spark-41": NaN })).to.deep.equal([
      "spark-35: its master's metrics report 0 alive workers, not 1",
      "spark-41: no executor metrics through its Connect server (NaN)",
    ]);
  });

  it("fetches each release's front metrics path at its Service", () => {
    expect(frontMetricsUrls(config)).to.deep.equal({
      "spark-35": "http://spark-35-master.spark.svc:8080/metrics/master/prometheus",
      "spark-41": "http://spark-41-connect.spark.svc:4040/metrics/prometheus",
    });
  });
});
