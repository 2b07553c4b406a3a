import type { ReleaseConfig } from "../config/model";
import { serviceHost } from "../naming/names";
import { CONNECT_LOOPBACK_ADDRESS } from "../spark/connectAuthentication";

/**
 * What the certificates of a Connect release's TLS terminator say (made by
 * platform/connectCertificates.ts): pure, so a name change (and only that) is a
 * replacement in the diff. A CA per release, so trusting one release's CA admits no other
 * release's server; ECDSA P-256 keys, which every gRPC client accepts.
 */
export interface ConnectCertificateSpec {
  /** Subject common name of the release's self-signed CA. */
  readonly caCommonName: string;
  /** Subject common name of the server certificate (its in-cluster Service name). */
  readonly serverCommonName: string;
  /** DNS subject alternative names of the server certificate. */
  readonly dnsNames: readonly string[];
  /** IP subject alternative names of the server certificate. */
  readonly ipAddresses: readonly string[];
  /** Days the CA is valid. */
  readonly caValidityDays: number;
  /** Days the server certificate is valid. */
  readonly serverValidityDays: number;
  /**
   * Days before the server certificate's end from which `pulumi up` replaces both
   * certificates (the diff reads the end from the state), so a stack updated at least
   * this often never serves an expired certificate.
   */
  readonly renewBeforeDays: number;
}

/** The CA lives ten years: clients hold it, so it changes only with a replacement. */
export const CONNECT_CA_VALIDITY_DAYS = 3650;
/** The server certificate lives a year, renewed by `pulumi up` in its last 30 days. */
export const CONNECT_SERVER_VALIDITY_DAYS = 365;
export const CONNECT_RENEW_BEFORE_DAYS = 30;

/**
 * Every name a client may dial the Connect Service by: the short name (same namespace),
 * with the namespace, `.svc` and the cluster domain; and `localhost` / 127.0.0.1 for a
 * `kubectl port-forward` to the Service or the pod.
 */
export function connectServerDnsNames(release: ReleaseConfig): string[] {
  const service = release.names.connect;
  const svc = serviceHost(service, release.namespace);
  return [service, `${service}.${release.namespace}`, svc, `${svc}.cluster.local`, "localhost"];
}

export function connectCertificateSpec(release: ReleaseConfig): ConnectCertificateSpec {
  return {
    caCommonName: `${release.name} Spark Connect CA (${release.namespace})`,
    serverCommonName: serviceHost(release.names.connect, release.namespace),
    dnsNames: connectServerDnsNames(release),
    ipAddresses: [CONNECT_LOOPBACK_ADDRESS],
    caValidityDays: CONNECT_CA_VALIDITY_DAYS,
    serverValidityDays: CONNECT_SERVER_VALIDITY_DAYS,
    renewBeforeDays: CONNECT_RENEW_BEFORE_DAYS,
  };
}
