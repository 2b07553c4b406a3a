// RPC authentication and encryption of standalone releases (lib/spark/authentication.ts)
// and their place in spark-defaults (lib/spark/defaults.ts).
import { expect } from "chai";
import { parseSparkProperties } from "../../../../lib/kube/objects";
import {
  AUTH_SECRET_PROPERTY,
  clientAuthProperties,
  driverSparkDefaults,
  executorBootstrapJavaOptions,
  RPC_SECURITY_PROPERTIES,
} from "../../../../lib/spark/authentication";
import { sparkDefaults } from "../../../../lib/spark/defaults";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";

describe("pure: RPC authentication (lib/spark/authentication.ts)", () => {
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

  it("a Connect release's spark-defaults authenticate and encrypt RPC too, naming the secret's file only", () => {
    const defaults = sparkDefaults(config, byMode("connect"));
    expect(defaults).to.include({
      ...RPC_SECURITY_PROPERTIES,
      "spark.authenticate.secret.file": "/opt/spark/rpc-auth/secret",
    });
    expect(defaults).to.not.have.property(AUTH_SECRET_PROPERTY);
    expect(defaults["spark.master"]).to.match(/^k8s:\/\//);
  });

  it("an executor's bootstrap JVM options carry the master and nothing else", () => {
    expect(executorBootstrapJavaOptions("k8s://https://kubernetes.default.svc:6443")).to.equal(
      "-Dspark.master=k8s://https://kubernetes.default.svc:6443",
    );
    expect(() => executorBootstrapJavaOptions("k8s://x -Dspark.authenticate=false")).to.throw(
      /must not contain spaces/,
    );
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
