import type { ConfigIssue, PlatformConfig } from "./model";

/** The Connect client image the platform's own image set builds, for a Spark version. */
export function suggestedConnectClientImage(sparkVersion: string): string {
  return `spark-platform/pyspark-client:${sparkVersion}`;
}

/**
 * The benchmark of a Connect release is a Python Spark Connect client; the release's
 * Spark image has no grpcio, pandas or pyarrow, so the Job would fail at its first import.
 * Enabling the benchmark with an active Connect release therefore needs `benchmark.image`.
 */
export function benchmarkIssues(config: PlatformConfig): ConfigIssue[] {
  if (!config.benchmark.enabled || config.benchmark.image !== undefined) return [];
  const connect = config.releases.filter((r) => r.mode === "connect" && !r.decommissioned);
  if (connect.length === 0) return [];
  const versions = [...new Set(connect.map((r) => r.sparkVersion))];
  return [
    {
      key: "spark-platform:benchmark.image",
      message: `is required when benchmark.enabled is true and a Connect release runs (${connect.map((r) => r.name).join(", ")}): its benchmark is a Python Spark Connect client, and the Spark image has no grpcio, pandas or pyarrow; set an image with ${versions.map((v) => `pyspark-client==${v}`).join(" / ")}, e.g. ${versions.map(suggestedConnectClientImage).join(" / ")}`,
      releases: connect.map((r) => r.name),
    },
  ];
}
