// Monitoring over the composed stack: dev with `spark-platform:monitoring` set the way a
// user sets it (`pulumi config set --path monitoring.namespace monitoring`), rendered under
// mocks. Every release gets its PodMonitors, its allow-metrics policy and the Prometheus
// sink in spark-defaults; nothing of the stack's isolation changes.
import { expect } from "chai";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { rawConfigFromStackFile } from "../../../lib/config/sources";
import { NetworkModel, selectorMatches } from "../../../lib/kube/analysis/networkPolicy";
import { parseSparkProperties, RELEASE_LABEL, type KubeManifest } from "../../../lib/kube/objects";
import type { IPodMonitor } from "../../../lib/kube/podMonitor";
import { PORTS } from "../../../lib/naming/names";
import { verifyObjects } from "../../../lib/verify/run";
import { STACK_RULES } from "../../../policy/rules";
import { stackFilePath } from "../../../tools/cli/stackFiles";
import { configSetPath } from "../../support/placements";
import { objectsOf, failing } from "../../support/verifier";
import { ofKind, renderRaw, renderStack, type RenderedStack } from "../../support/stacks";
import { expectSourcesTrue } from "../../support/sources";

/** The dev stack with monitoring set by `pulumi config set --path` overrides. */
function devWithMonitoring(overrides: [string, string][]): Promise<RenderedStack> {
  const raw = rawConfigFromStackFile(stackFilePath("dev"));
  const values = structuredClone(raw.values) as Record<string, unknown>;
  for (const [path, text] of overrides) configSetPath(values, path, text);
  return renderRaw({ ...raw, values }, "dev");
}

const named = <T extends KubeManifest>(manifests: readonly T[], name: string): T => {
  const found = manifests.find((m) => m.metadata?.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
};

describe("monitoring in the rendered dev stack", function () {
  this.timeout(120_000);
  let monitored: RenderedStack;
  let plain: RenderedStack;
  before(async () => {
    plain = await renderStack("dev");
    monitored = await devWithMonitoring([["monitoring.namespace", "monitoring"]]);
  });

  it("a PodMonitor per scrapeable workload kind, each a typed child of its release's SparkRelease", () => {
    const podMonitors = monitored.resources.filter(
      (r) => r.type === "kubernetes:monitoring.coreos.com/v1:PodMonitor",
    );
    expect(podMonitors.map((r) => [r.name, r.parent?.replace(/^.*::/, "")]).sort()).to.deep.equal([
      ["spark-35-master", "spark-35-spark"],
      ["spark-35-worker", "spark-35-spark"],
      ["spark-41-connect", "spark-41-spark"],
    ]);
    for (const r of podMonitors) {
      expect(r.parent, r.name).to.match(/spark-platform:spark:SparkRelease::/);
    }
  });

  it("each PodMonitor selects its workload's pods in the release's namespace, on a port they name", () => {
    const deployments = ofKind<IDeployment>(monitored.manifests, "Deployment");
    for (const monitor of ofKind<IPodMonitor>(monitored.manifests, "PodMonitor")) {
      const release = monitor.metadata.labels![RELEASE_LABEL]!;
      const selected = deployments.filter(
        (d) =>
          d.metadata!.namespace === monitor.metadata.namespace &&
          selectorMatches(monitor.spec.selector, d.spec!.template.metadata!.labels!),
      );
      expect(selected.map((d) => d.metadata!.name)).to.deep.equal([monitor.metadata.name]);
      const ports = selected[0]!.spec!.template.spec!.containers[0]!.ports!.map((p) => p.name);
      for (const endpoint of monitor.spec.podMetricsEndpoints) {
        expect(ports).to.include(endpoint.port);
        expect(endpoint.relabelings).to.deep.include({
          action: "replace",
          targetLabel: "release",
          replacement: release,
        });
      }
    }
  });

  it("an allow-metrics policy per release admits the UIs that serve metrics, from the monitoring namespace only", () => {
    const model = new NetworkModel(monitored.manifests);
    const deployments = ofKind<IDeployment>(monitored.manifests, "Deployment");
    const reached = (namespace: string) =>
      deployments.flatMap((d) => {
        const to = {
          namespace: d.metadata!.namespace!,
          labels: d.spec!.template.metadata!.labels!,
        };
        return Object.values(PORTS)
          .filter((port) => model.canReach({ namespace, labels: { app: "prometheus" } }, to, port))
          .map((port) => `${d.metadata!.name}:${port}`);
      });
    expect([...new Set(reached("monitoring"))].sort()).to.deep.equal(
      [
        `spark-35-master:${PORTS.masterUi}`,
        // One policy for master and workers: open on both UI ports, where only the
        // workload's own UI listens.
        `spark-35-master:${PORTS.workerUi}`,
        `spark-35-worker:${PORTS.masterUi}`,
        `spark-35-worker:${PORTS.workerUi}`,
        `spark-41-connect:${PORTS.driverUi}`,
      ].sort(),
    );
    // Negative controls: a client namespace of dev, and the stack without monitoring.
    expect(reached("team-pipelines").filter((p) => /:(8080|8081|4040)$/.test(p))).to.deep.equal([]);
    const before = new NetworkModel(plain.manifests);
    const master = named(ofKind<IDeployment>(plain.manifests, "Deployment"), "spark-35-master");
    expect(
      before.canReach(
        { namespace: "monitoring", labels: {} },
        { namespace: master.metadata!.namespace!, labels: master.spec!.template.metadata!.labels! },
        PORTS.masterUi,
      ),
    ).to.equal(false);
    const policies = ofKind<INetworkPolicy>(monitored.manifests, "NetworkPolicy").filter((p) =>
      p.metadata?.name?.endsWith("-allow-metrics"),
    );
    expect(policies.map((p) => p.metadata?.name)).to.deep.equal([
      "spark-35-allow-metrics",
      "spark-41-allow-metrics",
    ]);
  });

  it("both releases' spark-defaults turn on the PrometheusServlet sink; the stack without monitoring has none", () => {
    for (const release of ["spark-35", "spark-41"]) {
      const conf = (stack: RenderedStack) =>
        parseSparkProperties(
          named(ofKind<IConfigMap>(stack.manifests, "ConfigMap"), `${release}-spark-defaults`)
            .data!["spark-defaults.conf"]!,
        );
      expect(conf(monitored), release).to.deep.include({
        "spark.ui.prometheus.enabled": "true",
        "spark.metrics.conf.*.sink.prometheusServlet.class":
          "org.apache.spark.metrics.sink.PrometheusServlet",
        "spark.metrics.conf.*.sink.prometheusServlet.path": "/metrics/prometheus",
        "spark.metrics.conf.master.sink.prometheusServlet.path": "/metrics/master/prometheus",
        "spark.metrics.conf.applications.sink.prometheusServlet.path":
          "/metrics/applications/prometheus",
      });
      expect(Object.keys(conf(plain)).filter((k) => k.startsWith("spark.metrics."))).to.deep.equal(
        [],
      );
    }
  });

  it("podMonitors false: the policy and the sink stay, no PodMonitor", async () => {
    const rendered = await devWithMonitoring([
      ["monitoring.namespace", "monitoring"],
      ["monitoring.podMonitors", "false"],
    ]);
    expect(ofKind(rendered.manifests, "PodMonitor")).to.deep.equal([]);
    expect(
      ofKind<INetworkPolicy>(rendered.manifests, "NetworkPolicy").filter((p) =>
        p.metadata?.name?.endsWith("-allow-metrics"),
      ),
    ).to.have.length(2);
  });

  it("every object names the file and function that built it", () => {
    expectSourcesTrue(monitored.manifests);
  });

  it("the verifier and the policy pack pass the monitored stack as they pass dev", () => {
    expect(failing(verifyObjects(objectsOf(monitored.manifests)))).to.deep.equal(
      failing(verifyObjects(objectsOf(plain.manifests))),
    );
    const resources = monitored.resources.map((r) => ({
      type: r.type,
      name: r.name,
      props: r.inputs,
    }));
    for (const rule of STACK_RULES) {
      expect(rule.check(resources), rule.name).to.deep.equal([]);
    }
  });

  it("nothing else changes: without the PodMonitors and allow-metrics policies, only spark-defaults and the pods' config hash differ", () => {
    const added = (m: KubeManifest) =>
      m.kind === "PodMonitor" || (m.metadata?.name ?? "").endsWith("-allow-metrics");
    const rest = monitored.manifests.filter((m) => !added(m));
    expect(rest.map((m) => `${m.kind}/${m.metadata?.name}`)).to.deep.equal(
      plain.manifests.map((m) => `${m.kind}/${m.metadata?.name}`),
    );
    const changed = rest
      .filter((m, i) => JSON.stringify(m) !== JSON.stringify(plain.manifests[i]))
      .map((m) => `${m.kind}/${m.metadata?.name}`);
    expect(changed).to.deep.equal([
      "ConfigMap/spark-35-spark-defaults",
      "ConfigMap/spark-41-spark-defaults",
      "Deployment/spark-35-master",
      "Deployment/spark-35-worker",
      "Deployment/spark-41-connect",
    ]);
  });
});
