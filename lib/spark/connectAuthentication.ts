import type { ReleaseConfig } from "../config/model";
import { renderSparkProperties } from "../kube/objects";
import { PORTS } from "../naming/names";

/**
 * Authentication and TLS of a Spark Connect release (Spark 4.1).
 *
 * - The server requires a token: `spark.connect.authenticate.token` (a static conf Spark
 *   reads from its SparkConf first, `SPARK_CONNECT_AUTHENTICATE_TOKEN` second). Its
 *   PreSharedKeyAuthenticationInterceptor refuses any call without the gRPC metadata
 *   `Authorization: Bearer <token>`. The server reads the token from its spark-defaults,
 *   a file in a Secret volume (its `SPARK_CONF_DIR`): never env, a command line or a
 *   ConfigMap.
 * - The pyspark client sends the token only over TLS, and Spark 4.1's Connect server has
 *   no TLS listener: a terminator of ours (images/connect-tls) runs beside the server in
 *   its pod, listens on the Connect port with TLS 1.2+ and ALPN h2, and copies the bytes
 *   to the server, which binds the pod's loopback only
 *   (`spark.connect.grpc.binding.address`, Spark 4.0 and later). Nothing in plain text is
 *   reachable from outside the pod.
 * - The terminator's certificate is signed by a CA the program makes per release
 *   (platform/connectCertificates.ts); clients trust that CA.
 *
 * What stays trusted: whoever holds the token may act as any user (the server does not
 * verify the client's `user_id`), and processes inside the server's pod see plain text on
 * loopback (docs/hardening.md).
 */

/** The property the Connect server reads its token from. */
export const CONNECT_TOKEN_PROPERTY = "spark.connect.authenticate.token";
/** The variable Spark would read the token from: never set, named for the checks. */
export const CONNECT_TOKEN_ENV = "SPARK_CONNECT_AUTHENTICATE_TOKEN";
/** The property binding the server's gRPC listener to an address (Spark 4.0 and later). */
export const CONNECT_BINDING_ADDRESS_PROPERTY = "spark.connect.grpc.binding.address";
/** The property of the server's gRPC port. */
export const CONNECT_BINDING_PORT_PROPERTY = "spark.connect.grpc.binding.port";
/** Loopback: only containers of the server's own pod reach the plain-text port. */
export const CONNECT_LOOPBACK_ADDRESS = "127.0.0.1";

/**
 * Where the server listens: loopback, on a port of its own, so the Connect port
 * (`PORTS.connectGrpc`) is the terminator's. Applied after the release's own `sparkConf`,
 * so no stack setting can expose the plain-text port.
 */
export const CONNECT_LOOPBACK_BINDING: Readonly<Record<string, string>> = {
  [CONNECT_BINDING_ADDRESS_PROPERTY]: CONNECT_LOOPBACK_ADDRESS,
  [CONNECT_BINDING_PORT_PROPERTY]: String(PORTS.connectGrpcLoopback),
};

/** Keys of the server's Secret (`<release>-connect-server`). */
export const CONNECT_SERVER_KEYS = {
  /** The release's spark-defaults, the loopback binding and the token: the server's SPARK_CONF_DIR. */
  defaults: "spark-defaults.conf",
  /** The terminator's certificate chain (server certificate, then the CA), PEM. */
  tlsCert: "tls.crt",
  /** The terminator's private key, PEM (PKCS#8). */
  tlsKey: "tls.key",
} as const;

/** Keys of a client Secret (`<release>-connect-client`): no key of the 3.5 client Secrets. */
export const CONNECT_CLIENT_KEYS = {
  /** The token, alone: `;token=<it>` in the `sc://` URL. */
  token: "token",
  /** The CA certificate (PEM, no key) the server's certificate chains to. */
  caCert: "ca.crt",
} as const;

/** Where the Connect server's pod mounts its spark-defaults from the Secret (its SPARK_CONF_DIR). */
export const CONNECT_SERVER_CONF_DIR = "/opt/spark/conf-server";
/** Where the terminator's pod mounts its certificate and key. */
export const CONNECT_TLS_DIR = "/etc/connect-tls";

/**
 * The variable the python gRPC client reads its trusted roots from: pyspark builds its
 * secure channel with `grpc.ssl_channel_credentials()` (default roots), so a client points
 * it at the mounted `ca.crt`.
 */
export const GRPC_ROOTS_ENV = "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH";

/** Whether a release authenticates its clients with a token over TLS (its Connect mode). */
export function authenticatesConnect(release: ReleaseConfig): boolean {
  return release.mode === "connect";
}

/**
 * The server's `spark-defaults.conf`: the release's spark-defaults (`defaults`), the
 * loopback binding over them, and the token.
 */
export function connectServerSparkDefaults(
  defaults: Readonly<Record<string, string>>,
  token: string,
): string {
  return renderSparkProperties({
    ...defaults,
    ...CONNECT_LOOPBACK_BINDING,
    [CONNECT_TOKEN_PROPERTY]: token,
  });
}

/**
 * The `sc://` URL a client connects with: the release's Connect URL (`connectUrl`, TLS
 * already on) with the token as its `token` parameter. For clients that build it from
 * the mounted Secret; the platform itself never outputs it.
 */
export function connectUrlWithToken(connectUrl: string, token: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) {
    throw new Error("a Connect token must be base64url (no ';' or '=' in a URL parameter)");
  }
  return `${connectUrl};token=${token}`;
}
