import type { PlatformConfig, ReleaseConfig } from "../config/model";
import { releaseEndpoints } from "../naming/endpoints";
import { CLIENT_LABEL } from "../kube/objects";
import type { SparkMode } from "../spark/versions";
import { authenticatesRpc } from "../spark/authentication";

/** What other stacks read about one release (stack output `releases[<name>]`). */
export interface ReleaseOutput {
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly sparkVersion: string;
  readonly mode: SparkMode;
  readonly image: string;
  readonly decommissioned: boolean;
  /** `spark://…:7077` (standalone only). */
  readonly masterUrl?: string;
  /** `sc://…:15002` (Connect only). */
  readonly connectUrl?: string;
  /** The master URL or the Connect URL: what a job connects to. */
  readonly connectionUrl: string;
  readonly metastoreUri?: string;
  readonly metastoreDatabase?: string;
  readonly historyServerUrl?: string;
  /** `s3a://<bucket>/<prefix>`: where this release's applications log. */
  readonly eventLogDir: string;
  readonly warehouseDir: string;
  /** Label a client pod sets so the release's NetworkPolicies let it in. */
  readonly clientPodLabel: { readonly key: string; readonly value: string };
  /**
   * The namespaces whose pods may carry `clientPodLabel` (`releases[].clients`): a client
   * pod elsewhere is refused at admission and reaches nothing. Empty: no client at all.
   */
  readonly clientNamespaces: readonly string[];
  /**
   * Standalone with clients: the name of the Secret the platform keeps in each of
   * `clientNamespaces` with the release's authentication secret (`spark-defaults.conf`:
   * the release's spark-defaults and the secret, a driver's SPARK_CONF_DIR;
   * `spark-auth.properties`: the authentication properties alone). Its drivers need it:
   * the release refuses unauthenticated RPC.
   */
  readonly clientSecret?: string;
}

/** Where one job runs (stack output `jobRouting[<job id>]`). */
export interface JobRoute {
  readonly jobId: string;
  readonly release: string;
  readonly sparkVersion: string;
  readonly mode: SparkMode;
  readonly namespace: string;
  readonly connectionUrl: string;
  readonly metastoreUri?: string;
  readonly eventLogDir: string;
  readonly historyServerUrl?: string;
  /** Label the job's pod must carry to pass the release's NetworkPolicies. */
  readonly clientPodLabel: { readonly key: string; readonly value: string };
}

/** Plain (non-secret) stack outputs. */
export interface PlatformOutputs {
  readonly releases: Readonly<Record<string, ReleaseOutput>>;
  readonly jobRouting: Readonly<Record<string, JobRoute>>;
  readonly namespaces: readonly string[];
  readonly objectStore: { readonly endpoint: string; readonly bucket: string };
}

/** Secret stack output `metastoreCredentials[<release>]`. */
export interface MetastoreCredentials {
  readonly username: string;
  readonly password: string;
  readonly jdbcUrl: string;
}

export function releaseOutput(release: ReleaseConfig): ReleaseOutput {
  const endpoints = releaseEndpoints(release);
  return {
    name: release.name,
    namespace: release.namespace,
    serviceAccount: release.names.serviceAccount,
    sparkVersion: release.sparkVersion,
    mode: release.mode,
    image: release.image,
    decommissioned: release.decommissioned,
    ...endpoints,
    ...(release.metastore.enabled ? { metastoreDatabase: release.metastore.database } : {}),
    eventLogDir: release.history.eventLogDir,
    warehouseDir: release.warehouseDir,
    clientPodLabel: { key: CLIENT_LABEL, value: release.name },
    clientNamespaces: release.clients.map((grant) => grant.namespace),
    ...(authenticatesRpc(release) && !release.decommissioned && release.clients.length > 0
      ? { clientSecret: release.names.sparkClientSecret }
      : {}),
  };
}

export function platformOutputs(config: PlatformConfig): PlatformOutputs {
  const releases = Object.fromEntries(config.releases.map((r) => [r.name, releaseOutput(r)]));
  const jobRouting = Object.fromEntries(
    config.jobs.map((job) => {
      const release = releases[job.release]!;
      const route: JobRoute = {
        jobId: job.id,
        release: release.name,
        sparkVersion: release.sparkVersion,
        mode: release.mode,
        namespace: release.namespace,
        connectionUrl: release.connectionUrl,
        ...(release.metastoreUri ? { metastoreUri: release.metastoreUri } : {}),
        eventLogDir: release.eventLogDir,
        ...(release.historyServerUrl ? { historyServerUrl: release.historyServerUrl } : {}),
        clientPodLabel: release.clientPodLabel,
      };
      return [job.id, route];
    }),
  );
  return {
    releases,
    jobRouting,
    namespaces: [...new Set(config.releases.map((r) => r.namespace))],
    objectStore: { endpoint: config.objectStore.endpoint, bucket: config.objectStore.bucket },
  };
}
