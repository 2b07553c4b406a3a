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
