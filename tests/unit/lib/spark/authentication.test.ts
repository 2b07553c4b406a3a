// RPC authentication and encryption of standalone releases (lib/spark/authentication.ts)
// and their place in spark-defaults (lib/spark/defaults.ts).
import { expect } from "chai";
import { parseSparkProperties } from "../../../../lib/kube/objects";
import {
  AUTH_SECRET_PROPERTY,
  clientAuthProperties,
  driverSparkDefaults,
  RPC_SECURITY_PROPERTIES,
} from "../../../../lib/spark/authentication";
import { sparkDefaults } from "../../../../lib/spark/defaults";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";

describe("pure: standalone RPC authentication (lib/spark/authentication.ts)", () => {
  const config = parseValid(rawConfig(baseValues()));
  const byMode = (mode: string) => config.releases.find((r) => r.mode === mode)!;

  it("standalone spark-defaults authenticate and encrypt RPC, without SASL fallback, and hold no secret", () => {
    const defaults = sparkDefaults(config, byMode("standalone"));
    expect(defaults).to.include({
      "spark.authenticate": "true",
      "spark.network.crypto.enabled": "true",
      "spark.network.crypto.saslFallback": "false",
      "spark.io.encryption.enabled": "true",
    });
    expect(Object.keys(defaults).filter((k) => /secret/i.test(k))).to.deep.equal([]);
  });

  it("a Connect release's spark-defaults are left as they were", () => {
    const defaults = sparkDefaults(config, byMode("connect"));
    for (const key of Object.keys(RPC_SECURITY_PROPERTIES)) {
      expect(defaults, key).to.not.have.property(key);
    }
  });

  it("a driver's spark-defaults are the release's plus the secret, nothing else", () => {
    const release = byMode("standalone");
    const defaults = sparkDefaults(config, release);
    const text = driverSparkDefaults(defaults, "s3cr3t_-A");
    expect(parseSparkProperties(text)).to.deep.equal({
      ...defaults,
      [AUTH_SECRET_PROPERTY]: "s3cr3t_-A",
    });
  });

  it("spark-auth.properties: the RPC settings and the secret, for a client's own configuration", () => {
    expect(parseSparkProperties(clientAuthProperties("abc"))).to.deep.equal({
      ...RPC_SECURITY_PROPERTIES,
      [AUTH_SECRET_PROPERTY]: "abc",
    });
  });
});
