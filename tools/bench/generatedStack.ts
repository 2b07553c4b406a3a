import type { RawConfig } from "../../lib/config/model";

/**
 * A large but valid stack for benchmarks and scale tests: `count` releases alternating
 * Spark 4.1 Connect and 3.5 standalone, each with its own metastore and prefix, in
 * per-release namespaces, with three jobs per release.
 */
export function generatedStack(count: number): RawConfig {
  const releases = Array.from({ length: count }, (_, i) => {
    const connect = i % 2 === 0;
    const name = `team-${String(i + 1).padStart(2, "0")}-${connect ? "41" : "35"}`;
    return connect
      ? { name, sparkVersion: "4.1.0", mode: "connect" }
      : { name, sparkVersion: "3.5.7", mode: "standalone", standalone: { workers: 2 } };
  });
  const jobs = releases.flatMap((release) =>
    [1, 2, 3].map((n) => ({ id: `${release.name}-job-${n}`, release: release.name })),
  );
  return {
    values: {
      namespaceLayout: "perRelease",
      protectData: true,
      postgres: { host: "postgresql.spark-infra.svc", sslmode: "require" },
      postgresAdminPassword: "[secret]",
      objectStore: { endpoint: "http://minio.spark-infra.svc:9000", bucket: "spark-logs" },
      objectStoreAccessKey: "[secret]",
      objectStoreSecretKey: "[secret]",
      releases,
      jobs,
    },
    secretKeys: new Set(["postgresAdminPassword", "objectStoreAccessKey", "objectStoreSecretKey"]),
  };
}
