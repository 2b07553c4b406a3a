import type { IIoK8sApimachineryPkgApisMetaV1ObjectMeta as IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";

/**
 * The fields of a Prometheus Operator `monitoring.coreos.com/v1` PodMonitor the platform
 * sets (the CRD has no model in kubernetes-models). Field names as in the operator's API
 * reference: `podMetricsEndpoints[].port` names a container port.
 */
export interface IPodMonitor {
  apiVersion: "monitoring.coreos.com/v1";
  kind: "PodMonitor";
  metadata: IObjectMeta & { name: string; namespace: string };
  spec: {
    selector: { matchLabels: Record<string, string> };
    podMetricsEndpoints: PodMetricsEndpoint[];
  };
}

/** One scrape of the selected pods: a named port and a path, with relabelings. */
export interface PodMetricsEndpoint {
  port: string;
  path: string;
  scheme?: "http" | "https";
  relabelings?: Relabeling[];
}

/** A Prometheus relabel_config as the operator spells it (camelCase). */
export interface Relabeling {
  sourceLabels?: string[];
  targetLabel?: string;
  replacement?: string;
  action?: "replace";
}

/** Prometheus's relabeling actions, as a PodMonitor may name them. */
const RELABEL_ACTIONS: readonly string[] = [
  "replace",
  "keep",
  "drop",
  "labelmap",
  "labeldrop",
  "labelkeep",
  "hashmod",
];

/**
 * Checks a PodMonitor against the operator's v1 schema for the fields the platform sets
 * (kubernetes-models has no model of the CRD): a selector of string labels, at least one
 * endpoint, each naming a port and an absolute path, `http` or `https`, relabelings with a
 * known action. Throws naming the first field that is wrong, like the models' `validate`.
 */
export class PodMonitorModel {
  constructor(private readonly data: Partial<IPodMonitor>) {}

  validate(): void {
    const spec = this.data.spec;
    const labels = spec?.selector?.matchLabels;
    if (!labels || Object.values(labels).some((v) => typeof v !== "string")) {
      throw new Error("spec.selector.matchLabels must map label keys to strings");
    }
    const endpoints = spec.podMetricsEndpoints;
    if (!Array.isArray(endpoints) || endpoints.length === 0) {
      throw new Error("spec.podMetricsEndpoints must list at least one endpoint");
    }
    endpoints.forEach((endpoint, i) => {
      const at = `spec.podMetricsEndpoints[${i}]`;
      if (typeof endpoint.port !== "string" || endpoint.port === "") {
        throw new Error(`${at}.port must name a container port`);
      }
      if (typeof endpoint.path !== "string" || !endpoint.path.startsWith("/")) {
        throw new Error(`${at}.path must be an absolute path`);
      }
      if (endpoint.scheme !== undefined && !["http", "https"].includes(endpoint.scheme)) {
        throw new Error(`${at}.scheme must be http or https`);
      }
      (endpoint.relabelings ?? []).forEach((r, j) => {
        if (r.action !== undefined && !RELABEL_ACTIONS.includes(r.action)) {
          throw new Error(`${at}.relabelings[${j}].action ${r.action} is no relabeling action`);
        }
      });
    });
  }
}
