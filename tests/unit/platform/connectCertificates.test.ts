// A Connect release's certificates: made once by the dynamic provider, parsed back with
// node:crypto (names, CA flag, chain, key), stable across runs unless names change or the
// server certificate nears its end.
import { createPrivateKey, X509Certificate } from "node:crypto";
import { expect } from "chai";
import {
  CONNECT_CERTIFICATES_PROVIDER_SOURCE,
  connectCertificatesProvider,
  type ConnectCertificatesOutputs,
} from "../../../platform/connectCertificates";
import { connectCertificateSpec } from "../../../lib/credentials/connectCertificates";
import { baseValues, parseValid, rawConfig } from "../../support/stacks";

type Provider = typeof connectCertificatesProvider;

/**
 * The provider as the engine's dynamic-provider host loads it: the source alone, compiled
 * as a module of this realm (the host compiles it as a module, so the library's
 * `instanceof Date` holds), with nothing but `require` in scope.
 */
function providerFromSource(): Provider {
  const module = { exports: {} as { handler?: () => Provider } };
  new Function("exports", "module", "require", CONNECT_CERTIFICATES_PROVIDER_SOURCE)(
    module.exports,
    module,
    require,
  );
  return module.exports.handler!();
}

const config = parseValid(rawConfig(baseValues()));
const spark41 = config.releases.find((r) => r.name === "spark-41")!;
const spec = connectCertificateSpec(spark41);
const DAY = 24 * 60 * 60 * 1000;

describe("platform/connectCertificates.ts: a Connect release's CA and server certificate", () => {
  let made: ConnectCertificatesOutputs;
  before(async () => {
    made = (await providerFromSource().create(spec)).outs;
  });

  it("the CA is a self-signed CA certificate; the server certificate is not a CA and chains to it", () => {
    const ca = new X509Certificate(made.caCert);
    const server = new X509Certificate(made.serverCert);
    expect(ca.ca).to.equal(true);
    expect(ca.verify(ca.publicKey)).to.equal(true);
    expect(server.ca).to.equal(false);
    expect(server.checkIssued(ca)).to.equal(true);
    expect(server.verify(ca.publicKey)).to.equal(true);
    expect(server.subject).to.equal("CN=spark-41-connect.spark.svc");
    expect(ca.subject).to.equal("CN=spark-41 Spark Connect CA (spark)");
    // The terminator's chain: the server certificate, then the CA.
    expect(made.serverCert.endsWith(made.caCert)).to.equal(true);
  });

  it("names every way a client dials the Service, and localhost / 127.0.0.1 for a port-forward", () => {
    const server = new X509Certificate(made.serverCert);
    expect(server.subjectAltName!.split(", ")).to.deep.equal([
      "DNS:spark-41-connect",
      "DNS:spark-41-connect.spark",
      "DNS:spark-41-connect.spark.svc",
      "DNS:spark-41-connect.spark.svc.cluster.local",
      "DNS:localhost",
      "IP Address:127.0.0.1",
    ]);
    expect(server.checkHost("spark-41-connect.spark.svc")).to.equal("spark-41-connect.spark.svc");
    expect(server.checkIP("127.0.0.1")).to.equal("127.0.0.1");
    expect(server.checkHost("spark-35-master.spark.svc")).to.equal(undefined);
  });

  it("ECDSA P-256; the server key (PKCS#8) is the certificate's; a CA of ten years, a server certificate of one", () => {
    const server = new X509Certificate(made.serverCert);
    const ca = new X509Certificate(made.caCert);
    const key = createPrivateKey(made.serverKey);
    expect(key.asymmetricKeyType).to.equal("ec");
    expect(key.asymmetricKeyDetails?.namedCurve).to.equal("prime256v1");
    expect(server.checkPrivateKey(key)).to.equal(true);
    expect(made.serverKey).to.match(/^-----BEGIN PRIVATE KEY-----\n/);
    const days = (cert: X509Certificate) =>
      Math.round((Date.parse(cert.validTo) - Date.now()) / DAY);
    expect(days(ca)).to.be.within(3649, 3650);
    expect(days(server)).to.be.within(364, 365);
    expect(Date.parse(made.serverNotAfter)).to.be.closeTo(Date.parse(server.validTo), 1000);
    expect(Date.parse(server.validFrom)).to.be.below(Date.now());
  });

  it("keeps no CA key: nothing else can ever be signed by it", () => {
    expect(Object.keys(made).filter((k) => /key/i.test(k))).to.deep.equal(["serverKey"]);
    expect(JSON.stringify(made).match(/BEGIN PRIVATE KEY/g)).to.have.length(1);
  });

  it("every creation is new (a replacement rotates both)", async () => {
    const again = (await connectCertificatesProvider.create(spec)).outs;
    expect(again.caCert).not.to.equal(made.caCert);
    expect(again.serverKey).not.to.equal(made.serverKey);
  });

  describe("diff", () => {
    it("no change for the same names, far from the end", async () => {
      expect(await connectCertificatesProvider.diff("id", made, spec)).to.deep.equal({
        changes: false,
      });
    });

    it("a replacement when the names change (another namespace)", async () => {
      const moved = { ...spec, dnsNames: ["spark-41-connect.spark-41.svc"] };
      expect(await connectCertificatesProvider.diff("id", made, moved)).to.deep.equal({
        changes: true,
        replaces: ["dnsNames"],
      });
    });

    it("a replacement in the server certificate's last renewBeforeDays, or without a known end", async () => {
      const ending = { ...made, serverNotAfter: new Date(Date.now() + 10 * DAY).toISOString() };
      expect(await connectCertificatesProvider.diff("id", ending, spec)).to.deep.equal({
        changes: true,
        replaces: ["serverNotAfter"],
      });
      const { serverNotAfter: _unknown, ...unknown } = made;
      expect((await connectCertificatesProvider.diff("id", unknown, spec)).changes).to.equal(true);
    });
  });
});
