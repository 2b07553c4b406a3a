import { expect } from "chai";
import { PORTS } from "../../../../lib/naming/names";
import { sparkDefaults, historyServerDefaults } from "../../../../lib/spark/defaults";
import {
  metricsEndpoints,
  prometheusSinkProperties,
  PROMETHEUS_PATHS,
} from "../../../../lib/spark/metrics";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";

const withMonitoring = (extra: Record<string, unknown> = {}) =>
  parseValid(rawConfig({ ...baseValues(), monitoring: { namespace: "monitoring" }, ...extra }));
const without = parseValid(rawConfig(baseValues()));
const monitored = withMonitoring();

const SINK_KEYS = {
  "spark.metrics.conf.*.sink.prometheusServlet.class":
    "org.apache.spark.metrics.sink.PrometheusServlet",
  "spark.metrics.conf.*.sink.prometheusServlet.path": "/metrics/prometheus",
  "spark.metrics.conf.master.sink.prometheusServlet.path": "/metrics/master/prometheus",
  "spark.metrics.conf.applications.sink.prometheusServlet.path": "/metrics/applications/prometheus",
};

describe("pure: Spark's Prometheus endpoints", () => {
  it("monitoring on: the PrometheusServlet sink for every instance, master and applications on their own paths", () => {
    expect(prometheusSinkProperties(monitored)).to.deep.equal(SINK_KEYS);
  });

  it("monitoring off: no sink property at all", () => {
    expect(prometheusSinkProperties(without)).to.deep.equal({});
    for (const release of without.releases) {
      const keys = Object.keys(sparkDefaults(without, release));
      expect(keys.filter((k) => k.startsWith("spark.metrics."))).to.deep.equal([]);
    }
  });

  it("both releases' spark-defaults carry the sink and executor metrics on the driver UI", () => {
    for (const release of monitored.releases) {
      expect(sparkDefaults(monitored, release), release.name).to.deep.include({
        ...SINK_KEYS,
        "spark.ui.prometheus.enabled": "true",
      });
    }
  });

  it("a release's own sparkConf still has the last word on a sink property", () => {
    const values = baseValues() as { releases: Record<string, unknown>[] };
    values.releases[0]!["sparkConf"] = {
      "spark.metrics.conf.*.sink.prometheusServlet.path": "/custom",
    };
    const config = parseValid(rawConfig({ ...values, monitoring: { namespace: "monitoring" } }));
    expect(
      sparkDefaults(config, config.releases[0]!)[
        "spark.metrics.conf.*.sink.prometheusServlet.path"
      ],
    ).to.equal("/custom");
  });

  it("the History Server's settings are untouched: Spark's metrics system has no instance there", () => {
    for (const release of monitored.releases) {
      expect(historyServerDefaults(monitored, release)).to.deep.equal(
        historyServerDefaults(without, release),
      );
    }
  });

  it("standalone: the master's UI serves master and applications metrics, the workers' UI their own", () => {
    expect(metricsEndpoints(monitored.releases[0]!)).to.deep.equal([
      {
        component: "master",
        portName: "http-ui",
        port: PORTS.masterUi,
        paths: [PROMETHEUS_PATHS.master, PROMETHEUS_PATHS.applications],
      },
      {
        component: "worker",
        portName: "http-ui",
        port: PORTS.workerUi,
        paths: ["/metrics/prometheus"],
      },
    ]);
  });

  it("Connect: the server's driver UI serves driver and executor metrics", () => {
    expect(metricsEndpoints(monitored.releases[1]!)).to.deep.equal([
      {
        component: "connect",
        portName: "http-ui",
        port: PORTS.driverUi,
        paths: ["/metrics/prometheus", "/metrics/executors/prometheus"],
      },
    ]);
  });
});
