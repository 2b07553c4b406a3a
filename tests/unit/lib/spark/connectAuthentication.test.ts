// What a Connect server's spark-defaults and certificates say
// (lib/spark/connectAuthentication.ts, lib/credentials/connectCertificates.ts).
import { expect } from "chai";
import { parseSparkProperties } from "../../../../lib/kube/objects";
import { sparkDefaults } from "../../../../lib/spark/defaults";
import {
  CONNECT_TOKEN_PROPERTY,
  connectServerSparkDefaults,
} from "../../../../lib/spark/connectAuthentication";
import {
  connectCertificateSpec,
  connectServerDnsNames,
} from "../../../../lib/credentials/connectCertificates";
import { parsePlatformConfig } from "../../../../lib/config/parse";
import type { RawConfig } from "../../../../lib/config/model";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";

const parseIssues = (raw: RawConfig) => {
  const result = parsePlatformConfig(raw);
  return result.ok ? [] : result.issues;
};

type Values = ReturnType<typeof baseValues> & { releases: Record<string, unknown>[] };

describe("lib/spark/connectAuthentication: the Connect server's token and binding", () => {
  const config = parseValid(rawConfig(baseValues()));
  const spark41 = config.releases.find((r) => r.name === "spark-41")!;

  it("the release's spark-defaults (a ConfigMap) bind loopback on the server's own port, no token", () => {
    const defaults = sparkDefaults(config, spark41);
    expect(defaults["spark.connect.grpc.binding.address"]).to.equal("127.0.0.1");
    expect(defaults["spark.connect.grpc.binding.port"]).to.equal("15012");
    expect(defaults).to.not.have.property(CONNECT_TOKEN_PROPERTY);
  });

  it("the server's spark-defaults add the token and bind loopback over anything before", () => {
    const conf = parseSparkProperties(
      connectServerSparkDefaults(
        { "spark.connect.grpc.binding.address": "0.0.0.0", "spark.app.name": "x" },
        "tok",
      ),
    );
    expect(conf).to.deep.equal({
      "spark.app.name": "x",
      "spark.connect.grpc.binding.address": "127.0.0.1",
      "spark.connect.grpc.binding.port": "15012",
      [CONNECT_TOKEN_PROPERTY]: "tok",
    });
  });

  it("a Connect release's sparkConf cannot set the token or the binding, naming the key", () => {
    for (const key of [
      "spark.connect.authenticate.token",
      "spark.connect.grpc.binding.address",
      "spark.connect.grpc.binding.port",
    ]) {
      const values = baseValues() as Values;
      values.releases[1]!["sparkConf"] = { [key]: "x" };
      const issues = parseIssues(rawConfig(values));
      expect(issues.map((i) => i.key)).to.deep.equal([
        `spark-platform:releases[1].sparkConf.${key}`,
      ]);
      expect(issues[0]!.message).to.match(/Connect release always requires its own token over TLS/);
    }
  });

  it("the certificates name the Service in its namespace, for both layouts", () => {
    expect(connectServerDnsNames(spark41)).to.deep.equal([
      "spark-41-connect",
      "spark-41-connect.spark",
      "spark-41-connect.spark.svc",
      "spark-41-connect.spark.svc.cluster.local",
      "localhost",
    ]);
    const perRelease = parseValid(rawConfig({ ...baseValues(), namespaceLayout: "perRelease" }));
    const spec = connectCertificateSpec(perRelease.releases.find((r) => r.name === "spark-41")!);
    expect(spec).to.deep.include({
      serverCommonName: "spark-41-connect.spark-41.svc",
      ipAddresses: ["127.0.0.1"],
      caValidityDays: 3650,
      serverValidityDays: 365,
      renewBeforeDays: 30,
    });
  });
});
