import type { NotebookConfig, PlatformConfig, ReleaseConfig } from "../config/model";
import { NOTEBOOK_TOKEN_KEY } from "../config/notebooks";
import { PORTS } from "../naming/names";
import { releaseEndpoints } from "../naming/endpoints";
import { CLIENT_LABEL } from "../kube/objects";
import type { SparkMode } from "../spark/versions";
import { authenticatesRpc, SPARK_AUTH_KEYS } from "../spark/authentication";
import {
  authenticatesConnect,
  CONNECT_CLIENT_KEYS,
  GRPC_ROOTS_ENV,
} from "../spark/connectAuthentication";

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
   * With clients: the name of the Secret the platform keeps in each of `clientNamespaces`
   * (`authentication` on a job route says how to use it). Standalone: the release's
   * authentication secret (`spark-defaults.conf`: the release's spark-defaults and the
   * secret, a driver's SPARK_CONF_DIR; `spark-auth.properties`: the authentication
   * properties alone); its drivers need it: the release refuses unauthenticated RPC.
   * Connect: `token` and `ca.crt`; the server refuses a session without the token, and
   * takes it only over TLS.
   */
  readonly clientSecret?: string;
}

/** How a client of a standalone release authenticates (`JobRoute.authentication`). */
export interface SparkAuthenticateRoute {
  readonly kind: "spark-authenticate";
  /** The Secret in each granted client namespace (the release's `clientSecret`). */
  readonly secret: string;
  /** Its keys: a driver's whole spark-defaults, or the authentication properties alone. */
  readonly keys: { readonly sparkDefaults: string; readonly properties: string };
  readonly howTo: string;
}

/** How a client of a Connect release authenticates (`JobRoute.authentication`). */
export interface ConnectTokenRoute {
  readonly kind: "connect-token-tls";
  /** The Secret in each granted client namespace (the release's `clientSecret`). */
  readonly secret: string;
  /** Its keys: the token, and the CA certificate the server's certificate chains to. */
  readonly keys: { readonly token: string; readonly caCert: string };
  /** The variable the python gRPC client reads its trusted roots from: the mounted `ca.crt`. */
  readonly caFileEnv: string;
  /** The `sc://` URL parameter the token goes in: `<connectionUrl>;token=<token>`. */
  readonly urlTokenParameter: string;
  readonly howTo: string;
}

export type ClientAuthenticationRoute = SparkAuthenticateRoute | ConnectTokenRoute;

/** A notebook (stack output `notebooks["<namespace>/<name>"]`); no credential, only where it is. */
export interface NotebookOutput {
  readonly name: string;
  readonly namespace: string;
  /** The Connect release its kernels' `spark` session connects to. */
  readonly release: string;
  readonly serviceAccount: string;
  /** The Secret and key holding the Jupyter login token (read it with kubectl; never output). */
  readonly tokenSecret: { readonly name: string; readonly key: string };
  /** Opens it at `url` on the user's machine; nothing else reaches it. */
  readonly portForward: string;
  readonly url: string;
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
  /**
   * How the job's client authenticates, when the release grants clients: which Secret of
   * its namespace to mount, its keys, and for Connect where the CA and token go. The
   * secret values are never outputs.
   */
  readonly authentication?: ClientAuthenticationRoute;
}

/** How a client of `release` authenticates, or nothing when it grants no client. */
export function clientAuthenticationRoute(
  release: ReleaseConfig,
): ClientAuthenticationRoute | undefined {
  if (release.decommissioned || release.clients.length === 0) return undefined;
  if (authenticatesRpc(release)) {
    const secret = release.names.sparkClientSecret;
    return {
      kind: "spark-authenticate",
      secret,
      keys: {
        sparkDefaults: SPARK_AUTH_KEYS.driverDefaults,
        properties: SPARK_AUTH_KEYS.properties,
      },
      howTo: `mount Secret ${secret} and run spark-submit with SPARK_CONF_DIR at the mount (${SPARK_AUTH_KEYS.driverDefaults}), or add ${SPARK_AUTH_KEYS.properties} to your own configuration`,
    };
  }
  if (authenticatesConnect(release)) {
    const secret = release.names.connectClientSecret;
    return {
      kind: "connect-token-tls",
      secret,
      keys: { token: CONNECT_CLIENT_KEYS.token, caCert: CONNECT_CLIENT_KEYS.caCert },
      caFileEnv: GRPC_ROOTS_ENV,
      urlTokenParameter: "token",
      howTo: `mount Secret ${secret}, set ${GRPC_ROOTS_ENV} to the mounted ${CONNECT_CLIENT_KEYS.caCert}, and connect to the connection URL plus ";token=<the mounted ${CONNECT_CLIENT_KEYS.token}>" (TLS is on in the URL already)`,
    };
  }
  return undefined;
}

/** Plain (non-secret) stack outputs. */
export interface PlatformOutputs {
  readonly releases: Readonly<Record<string, ReleaseOutput>>;
  readonly jobRouting: Readonly<Record<string, JobRoute>>;
  readonly namespaces: readonly string[];
  readonly objectStore: { readonly endpoint: string; readonly bucket: string };
  /** Present only when `notebooks` is configured, by `<namespace>/<name>`. */
  readonly notebooks?: Readonly<Record<string, NotebookOutput>>;
}

/** Secret stack output `metastoreCredentials[<release>]`. */
export interface MetastoreCredentials {
  readonly username: string;
  readonly password: string;
  readonly jdbcUrl: string;
}

/** The name of the release's client Secret, when it grants clients. */
function clientSecretOf(release: ReleaseConfig): string | undefined {
  return clientAuthenticationRoute(release)?.secret;
}

export function releaseOutput(release: ReleaseConfig): ReleaseOutput {
  const clientSecret = clientSecretOf(release);
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
    ...(clientSecret ? { clientSecret } : {}),
  };
}

export function platformOutputs(config: PlatformConfig): PlatformOutputs {
  const releases = Object.fromEntries(config.releases.map((r) => [r.name, releaseOutput(r)]));
  const jobRouting = Object.fromEntries(
    config.jobs.map((job) => {
      const release = releases[job.release]!;
      const authentication = clientAuthenticationRoute(
        config.releases.find((r) => r.name === job.release)!,
      );
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
        ...(authentication ? { authentication } : {}),
      };
      return [job.id, route];
    }),
  );
  return {
    releases,
    jobRouting,
    namespaces: [...new Set(config.releases.map((r) => r.namespace))],
    objectStore: { endpoint: config.objectStore.endpoint, bucket: config.objectStore.bucket },
    ...(config.notebooks.length > 0
      ? {
          notebooks: Object.fromEntries(
            config.notebooks.map((n) => [`${n.namespace}/${n.name}`, notebookOutput(n)]),
          ),
        }
      : {}),
  };
}

/** A notebook's stack output: where it is and how to open it. */
export function notebookOutput(notebook: NotebookConfig): NotebookOutput {
  return {
    name: notebook.name,
    namespace: notebook.namespace,
    release: notebook.release,
    serviceAccount: notebook.serviceAccount,
    tokenSecret: { name: notebook.names.tokenSecret, key: NOTEBOOK_TOKEN_KEY },
    portForward: `kubectl -n ${notebook.namespace} port-forward deploy/${notebook.names.notebook} ${PORTS.jupyter}:${PORTS.jupyter}`,
    url: `http://localhost:${PORTS.jupyter}/lab`,
  };
}
