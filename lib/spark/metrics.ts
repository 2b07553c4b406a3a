import type { PlatformConfig, ReleaseConfig } from "../config/model";
import type { Component } from "../kube/objects";
import { PORTS } from "../naming/names";

/**
 * Spark's Prometheus endpoints (monitoring.html, "Metrics"; the same property names in
 * 3.5 and 4.1). The metrics system's PrometheusServlet sink adds its path to the web UI
 * of each instance that has one: `/metrics/prometheus` on the worker's and the driver's
 * UI, and on the master's UI `/metrics/master/prometheus` and (its applications instance)
 * `/metrics/applications/prometheus`. `spark.ui.prometheus.enabled` (set for every
 * release in spark-defaults) adds executor metrics on the driver's UI,
 * `/metrics/executors/prometheus`, so executors need no scrape of their own.
 *
 * Not exposed: the History Server (Spark's metrics system has no History Server
 * instance) and the Hive Metastore (its metrics go to JMX or a JSON file; an HTTP
 * endpoint needs a JMX exporter jar the image lacks).
 */
export const PROMETHEUS_PATHS = {
  instance: "/metrics/prometheus",
  master: "/metrics/master/prometheus",
  applications: "/metrics/applications/prometheus",
  executors: "/metrics/executors/prometheus",
} as const;

const SINK = "org.apache.spark.metrics.sink.PrometheusServlet";

/**
 * The metrics system's PrometheusServlet sink as spark-defaults properties
 * (`spark.metrics.conf.<instance>.sink.<name>.<option>`), read by the master and workers
 * at start as well as by drivers; empty when monitoring is off.
 */
export function prometheusSinkProperties(config: PlatformConfig): Record<string, string> {
  if (!config.monitoring) return {};
  const sink = (instance: string, option: string) =>
    `spark.metrics.conf.${instance}.sink.prometheusServlet.${option}`;
  return {
    [sink("*", "class")]: SINK,
    [sink("*", "path")]: PROMETHEUS_PATHS.instance,
    [sink("master", "path")]: PROMETHEUS_PATHS.master,
    [sink("applications", "path")]: PROMETHEUS_PATHS.applications,
  };
}

/** Where one workload of a release serves its metrics: a named container port and paths. */
export interface MetricsEndpoint {
  readonly component: Extract<Component, "master" | "worker" | "connect">;
  /** The container port's name (`http-ui`), as a PodMonitor names it. */
  readonly portName: string;
  readonly port: number;
  readonly paths: readonly string[];
}

/**
 * The release's scrapeable workloads: the master and workers of a standalone release (a
 * standalone driver runs in the client, outside the release), the Connect server (the
 * driver) of a Connect release. Each serves on its UI port, named `http-ui` in its pod.
 */
export function metricsEndpoints(release: ReleaseConfig): MetricsEndpoint[] {
  if (release.mode === "standalone") {
    return [
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
        paths: [PROMETHEUS_PATHS.instance],
      },
    ];
  }
  return [
    {
      component: "connect",
      portName: "http-ui",
      port: PORTS.driverUi,
      paths: [PROMETHEUS_PATHS.instance, PROMETHEUS_PATHS.executors],
    },
  ];
}
