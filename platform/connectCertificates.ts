import * as pulumi from "@pulumi/pulumi";
import type { ConnectCertificateSpec } from "../lib/credentials/connectCertificates";
import { providerModuleSource } from "./digestKey";

/**
 * The certificates of a Connect release's TLS terminator (lib/spark/connectAuthentication.ts):
 * a self-signed CA and a server certificate it signs for the names of
 * lib/credentials/connectCertificates.ts `connectCertificateSpec`, ECDSA P-256, made once
 * when the stack first creates this resource and kept in the stack's state (the server key
 * as a secret). The CA's key signs once and is never kept: nothing else is ever signed by it.
 *
 * Stable: `pulumi up` changes nothing unless the names change (then a replacement makes
 * both anew) or the server certificate is in its last `renewBeforeDays` (then `pulumi up`
 * makes both anew as well). Rotating by hand is replacing it:
 * `pulumi up --replace <this resource's URN>`. Either way the server's Secret changes (its
 * pod rolls) and every client Secret's `ca.crt` is rewritten in place; clients read the
 * new CA when they start.
 */

/** Pulumi type of the certificates resource; the render tool answers it with stand-ins. */
export const CONNECT_CERTIFICATES_TYPE = "pulumi-nodejs:dynamic/spark-platform:ConnectCertificates";

/** What the provider keeps: the spec it was made from, and the certificates. */
export interface ConnectCertificatesOutputs extends ConnectCertificateSpec {
  /** The CA certificate, PEM (clients trust it). */
  readonly caCert: string;
  /** The server certificate then the CA certificate, PEM (the terminator's chain). */
  readonly serverCert: string;
  /** The server's private key, PKCS#8 PEM (a secret output). */
  readonly serverKey: string;
  /** When the server certificate ends (ISO 8601), for the renewal in `diff`. */
  readonly serverNotAfter: string;
}

/** Self-contained methods (the requires are inside): their source text is the provider. */
export const connectCertificatesProvider = {
  async create(
    inputs: ConnectCertificateSpec,
  ): Promise<{ id: string; outs: ConnectCertificatesOutputs }> {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const x509 = require("@peculiar/x509") as typeof import("@peculiar/x509");
    const { webcrypto, randomBytes } = require("node:crypto") as typeof import("node:crypto");
    /* eslint-enable @typescript-eslint/no-require-imports */
    // Node's webcrypto is the Web Crypto the library expects (its types are the DOM's).
    const crypto = webcrypto as never;
    const subtle = webcrypto.subtle;
    const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
    const day = 24 * 60 * 60 * 1000;
    const now = Date.now();
    // A few minutes back, so a node whose clock is slightly behind accepts it at once.
    const notBefore = new Date(now - 5 * 60 * 1000);
    // Positive serial numbers of 16 random bytes (RFC 5280: at most 20 octets). No named
    // helper functions here: a transpiler that keeps function names would call a helper
    // of its own (`__name`) that this method's source text, alone in the provider host,
    // lacks.
    const [caSerial, serverSerial] = [0, 1].map(() => {
      const bytes = randomBytes(16);
      bytes[0] = bytes[0]! & 0x7f;
      return bytes.toString("hex");
    });
    const [caKeys, serverKeys] = (await Promise.all(
      [0, 1].map(() => subtle.generateKey(algorithm, true, ["sign", "verify"])),
    )) as import("node:crypto").webcrypto.CryptoKeyPair[];
    if (!caKeys || !serverKeys) throw new Error("no ECDSA key pair");
    const ca = await x509.X509CertificateGenerator.createSelfSigned(
      {
        serialNumber: caSerial,
        name: [{ CN: [inputs.caCommonName] }],
        notBefore,
        notAfter: new Date(now + inputs.caValidityDays * day),
        keys: caKeys as never,
        signingAlgorithm: algorithm,
        extensions: [
          new x509.BasicConstraintsExtension(true, 0, true),
          new x509.KeyUsagesExtension(
            x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
            true,
          ),
          await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey as never, false, crypto),
        ],
      },
      crypto,
    );
    const serverNotAfter = new Date(now + inputs.serverValidityDays * day);
    const server = await x509.X509CertificateGenerator.create(
      {
        serialNumber: serverSerial,
        subject: [{ CN: [inputs.serverCommonName] }],
        issuer: ca.subject,
        notBefore,
        notAfter: serverNotAfter,
        publicKey: serverKeys.publicKey as never,
        signingKey: caKeys.privateKey as never,
        signingAlgorithm: algorithm,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
          new x509.SubjectAlternativeNameExtension(
            [
              ...inputs.dnsNames.map((value) => ({ type: "dns" as const, value })),
              ...inputs.ipAddresses.map((value) => ({ type: "ip" as const, value })),
            ],
            false,
          ),
          await x509.AuthorityKeyIdentifierExtension.create(
            caKeys.publicKey as never,
            false,
            crypto,
          ),
          await x509.SubjectKeyIdentifierExtension.create(
            serverKeys.publicKey as never,
            false,
            crypto,
          ),
        ],
      },
      crypto,
    );
    const pkcs8 = Buffer.from(await subtle.exportKey("pkcs8", serverKeys.privateKey));
    const base64 = pkcs8
      .toString("base64")
      .match(/.{1,64}/g)!
      .join("\n");
    const caCert = `${ca.toString("pem")}\n`;
    return {
      id: `connect-certificates-${serverSerial}`,
      outs: {
        caCommonName: inputs.caCommonName,
        serverCommonName: inputs.serverCommonName,
        dnsNames: [...inputs.dnsNames],
        ipAddresses: [...inputs.ipAddresses],
        caValidityDays: inputs.caValidityDays,
        serverValidityDays: inputs.serverValidityDays,
        renewBeforeDays: inputs.renewBeforeDays,
        caCert,
        serverCert: `${server.toString("pem")}\n${caCert}`,
        serverKey: `-----BEGIN PRIVATE KEY-----\n${base64}\n-----END PRIVATE KEY-----\n`,
        serverNotAfter: serverNotAfter.toISOString(),
      },
    };
  },
  // No update: any change makes both certificates anew (a replacement).
  async diff(
    _id: string,
    olds: Partial<ConnectCertificatesOutputs>,
    news: ConnectCertificateSpec,
  ): Promise<{ changes: boolean; replaces?: string[] }> {
    const fields = [
      "caCommonName",
      "serverCommonName",
      "dnsNames",
      "ipAddresses",
      "caValidityDays",
      "serverValidityDays",
    ] as const;
    const replaces: string[] = fields.filter(
      (field) => JSON.stringify(olds[field]) !== JSON.stringify(news[field]),
    );
    const end = Date.parse(olds.serverNotAfter ?? "");
    const renewFrom = end - news.renewBeforeDays * 24 * 60 * 60 * 1000;
    if (!(Date.now() < renewFrom)) replaces.push("serverNotAfter");
    return replaces.length > 0 ? { changes: true, replaces } : { changes: false };
  },
} satisfies pulumi.dynamic.ResourceProvider;

/** The provider as the module the dynamic-provider host loads (see platform/digestKey.ts). */
export const CONNECT_CERTIFICATES_PROVIDER_SOURCE = providerModuleSource(
  connectCertificatesProvider,
);

/** A Connect release's CA and server certificate (dynamic provider; `serverKey` is secret). */
export class ConnectCertificates extends pulumi.CustomResource {
  declare public readonly caCert: pulumi.Output<string>;
  declare public readonly serverCert: pulumi.Output<string>;
  declare public readonly serverKey: pulumi.Output<string>;
  declare public readonly serverNotAfter: pulumi.Output<string>;

  constructor(name: string, spec: ConnectCertificateSpec, opts?: pulumi.CustomResourceOptions) {
    super(
      CONNECT_CERTIFICATES_TYPE,
      name,
      {
        __provider: CONNECT_CERTIFICATES_PROVIDER_SOURCE,
        ...spec,
        caCert: undefined,
        serverCert: undefined,
        serverKey: undefined,
        serverNotAfter: undefined,
      },
      { ...opts, additionalSecretOutputs: ["serverKey"] },
    );
  }
}
