import type { PlatformConfig, ReleaseConfig } from "../config/model";
import { PORTS, serviceHost } from "./names";

/** How clients reach one release: the values other stacks read from the outputs. */
export interface ReleaseEndpoints {
  /** `spark://<release>-master.<ns>.svc:7077` for standalone releases. */
  readonly masterUrl?: string;
  /**
   * `sc://<release>-connect.<ns>.svc:15002/;use_ssl=true` for Connect releases: the port
   * speaks TLS only; a client adds `;token=<token>` from its client Secret
   * (lib/spark/connectAuthentication.ts `connectUrlWithToken`).
   */
  readonly connectUrl?: string;
  /** The URL a job submits to: the master URL or the Connect URL. */
  readonly connectionUrl: string;
  /** `thrift://<release>-metastore.<ns>.svc:9083`, when the metastore is enabled. */
  readonly metastoreUri?: string;
  /** `http://<release>-history.<ns>.svc:18080`, when the History Server is enabled. */
  readonly historyServerUrl?: string;
}

/** The Connect URL at a Service host: the port speaks TLS only, so `use_ssl` is on. */
export function connectServiceUrl(serviceHostName: string): string {
  return `sc://${serviceHostName}:${PORTS.connectGrpc}/;use_ssl=true`;
}

export function releaseEndpoints(release: ReleaseConfig): ReleaseEndpoints {
  const host = (service: string) => serviceHost(service, release.namespace);
  const masterUrl =
    release.mode === "standalone"
      ? `spark://${host(release.names.master)}:${PORTS.masterRpc}`
      : undefined;
  const connectUrl =
    release.mode === "connect" ? connectServiceUrl(host(release.names.connect)) : undefined;
  return {
    ...(masterUrl ? { masterUrl } : {}),
    ...(connectUrl ? { connectUrl } : {}),
    connectionUrl: masterUrl ?? connectUrl ?? "",
    ...(release.metastore.enabled
      ? { metastoreUri: `thrift://${host(release.names.metastore)}:${PORTS.metastoreThrift}` }
      : {}),
    ...(release.history.enabled
      ? { historyServerUrl: `http://${host(release.names.history)}:${PORTS.historyUi}` }
      : {}),
  };
}

/**
 * JDBC URL of a release's metastore database as its pods reach the shared PostgreSQL
 * (`postgres.host`, not the admin address); it holds no credentials.
 */
export function metastoreJdbcUrl(config: PlatformConfig, release: ReleaseConfig): string {
  const pg = config.postgres;
  return `jdbc:postgresql://${pg.host}:${pg.port}/${release.metastore.database}?sslmode=${pg.sslmode}`;
}
