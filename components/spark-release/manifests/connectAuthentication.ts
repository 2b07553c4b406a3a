import type { IIoK8sApiCoreV1Volume as IVolume } from "kubernetes-models/v1/Volume";
import type { IIoK8sApiCoreV1VolumeMount as IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import type { ReleaseConfig } from "../../../lib/config/model";
import {
  containerSecurityContext,
  secretManifest,
  tcpProbe,
  type Container,
  type SecretManifest,
  secretKeysVolume,
  clientSecretManifests,
} from "../../../lib/kube/objects";
import { PORTS } from "../../../lib/naming/names";
import {
  CONNECT_CLIENT_KEYS,
  CONNECT_LOOPBACK_ADDRESS,
  CONNECT_SERVER_CONF_DIR,
  CONNECT_SERVER_KEYS,
  CONNECT_TLS_DIR,
} from "../../../lib/spark/connectAuthentication";

// A Connect release's token and TLS (lib/spark/connectAuthentication.ts says why each
// piece is where it is): the server's Secret, the Secret each granted client namespace
// gets, the volumes the server's pod mounts them from, and the TLS terminator beside the
// server.
const SOURCE = "components/spark-release/manifests/connectAuthentication.ts";

/** Name of the terminator's container in the server's pod. */
export const CONNECT_TLS_CONTAINER = "connect-tls";

/** What the server's Secret holds: its spark-defaults (the token among them), the TLS pair. */
export interface ConnectServerData<V> {
  readonly defaults: V;
  readonly tlsCert: V;
  readonly tlsKey: V;
}

/** What a client Secret holds: the token and the CA certificate. */
export interface ConnectClientData<V> {
  readonly token: V;
  readonly caCert: V;
}

/** The server's own Secret, in the release's namespace; only the server's pod reads it. */
export function connectServerSecret<V>(
  release: ReleaseConfig,
  data: ConnectServerData<V>,
): SecretManifest<V> {
  return secretManifest(
    release,
    "connect",
    release.names.connectServerSecret,
    `${SOURCE}#connectServerSecret`,
    {
      [CONNECT_SERVER_KEYS.defaults]: data.defaults,
      [CONNECT_SERVER_KEYS.tlsCert]: data.tlsCert,
      [CONNECT_SERVER_KEYS.tlsKey]: data.tlsKey,
    },
  );
}

/**
 * One Secret per granted client namespace (`releases[].clients`), the same name in each
 * (stack output `clientSecret`): `token` (the `;token=` of the `sc://` URL) and `ca.crt`
 * (what `GRPC_DEFAULT_SSL_ROOTS_FILE_PATH` points at). Labelled with the release and the
 * client label, like a standalone release's client Secret; none without clients.
 */
export function connectClientSecrets<V>(
  release: ReleaseConfig,
  data: ConnectClientData<V>,
): SecretManifest<V>[] {
  return clientSecretManifests(
    release,
    "connect",
    release.names.connectClientSecret,
    `${SOURCE}#connectClientSecrets`,
    {
      [CONNECT_CLIENT_KEYS.token]: data.token,
      [CONNECT_CLIENT_KEYS.caCert]: data.caCert,
    },
  );
}

/** The server's spark-defaults alone from its Secret, mounted as its SPARK_CONF_DIR. */
export function connectServerConfVolume(release: ReleaseConfig): {
  volume: IVolume;
  mount: IVolumeMount;
} {
  return secretKeysVolume(
    "connect-server-conf",
    release.names.connectServerSecret,
    [CONNECT_SERVER_KEYS.defaults],
    CONNECT_SERVER_CONF_DIR,
  );
}

/** The terminator's certificate and key alone from the server's Secret. */
export function connectTlsVolume(release: ReleaseConfig): {
  volume: IVolume;
  mount: IVolumeMount;
} {
  return secretKeysVolume(
    "connect-tls",
    release.names.connectServerSecret,
    [CONNECT_SERVER_KEYS.tlsCert, CONNECT_SERVER_KEYS.tlsKey],
    CONNECT_TLS_DIR,
  );
}

/**
 * The TLS terminator (images/connect-tls): the Connect port on every interface, TLS 1.2+
 * with ALPN h2, to the server on loopback. Runs as the pod's Spark uid (its group reads
 * the Secret files), Pod Security restricted, read-only root; a few MiB of Go and one
 * goroutine pair per open connection, so small requests; ready once it listens.
 */
export function connectTlsContainer(release: ReleaseConfig, image: string): Container {
  const tls = connectTlsVolume(release);
  return {
    name: CONNECT_TLS_CONTAINER,
    image,
    args: [
      `-listen=:${PORTS.connectGrpc}`,
      `-backend=${CONNECT_LOOPBACK_ADDRESS}:${PORTS.connectGrpcLoopback}`,
      `-cert=${CONNECT_TLS_DIR}/${CONNECT_SERVER_KEYS.tlsCert}`,
      `-key=${CONNECT_TLS_DIR}/${CONNECT_SERVER_KEYS.tlsKey}`,
    ],
    ports: [{ name: "grpc", containerPort: PORTS.connectGrpc }],
    readinessProbe: tcpProbe(PORTS.connectGrpc, 2, 5),
    livenessProbe: tcpProbe(PORTS.connectGrpc, 10, 20),
    securityContext: containerSecurityContext(),
    resources: {
      requests: { cpu: "10m", memory: "32Mi", "ephemeral-storage": "16Mi" },
      limits: { cpu: "200m", memory: "32Mi", "ephemeral-storage": "16Mi" },
    },
    volumeMounts: [tls.mount],
  };
}
