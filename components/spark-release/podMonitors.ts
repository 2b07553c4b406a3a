import type { PlatformConfig, ReleaseConfig } from "../../lib/config/model";
import { componentSelector, releaseMetadata } from "../../lib/kube/objects";
import type { IPodMonitor } from "../../lib/kube/podMonitor";
import { metricsEndpoints, type MetricsEndpoint } from "../../lib/spark/metrics";

const SOURCE = "components/spark-release/podMonitors.ts";

/** The label every scraped series of a release carries: the release's name. */
export const SERIES_RELEASE_LABEL = "release";

/** The workload kinds a release has PodMonitors for, by component. */
export type ReleasePodMonitors<P = IPodMonitor> = Readonly<
  Partial<Record<MetricsEndpoint["component"], P>>
>;

function podMonitor(release: ReleaseConfig, endpoint: MetricsEndpoint): IPodMonitor {
  const name = release.names[endpoint.component];
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: releaseMetadata(release, endpoint.component, name, `${SOURCE}#releasePodMonitors`),
    spec: {
      // The release label and the component, as the workload's own selector: never another
      // release's pods, even in the shared namespace.
      selector: { matchLabels: componentSelector(release, endpoint.component) },
      podMetricsEndpoints: endpoint.paths.map((path) => ({
        port: endpoint.portName,
        path,
        scheme: "http",
        // A constant, so every series names its release even where two releases' series
        // would otherwise differ only by pod name.
        relabelings: [
          { action: "replace", targetLabel: SERIES_RELEASE_LABEL, replacement: release.name },
        ],
      })),
    },
  };
}

/**
 * One PodMonitor per scrapeable workload kind of the release (master and workers, or the
 * Connect server), in the release's namespace, when `monitoring.podMonitors` is on; none
 * otherwise (metrics may still be scraped by other means: the NetworkPolicy stays).
 */
export function releasePodMonitors(
  config: PlatformConfig,
  release: ReleaseConfig,
): ReleasePodMonitors {
  if (!config.monitoring?.podMonitors) return {};
  return Object.fromEntries(
    metricsEndpoints(release).map((endpoint) => [
      endpoint.component,
      podMonitor(release, endpoint),
    ]),
  );
}
