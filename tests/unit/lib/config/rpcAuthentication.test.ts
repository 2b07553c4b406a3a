// The sparkConf keys a standalone release's RPC authentication and encryption own
// (lib/config/isolation.ts): always on, so no override of them is accepted.
import { expect } from "chai";
import { formatIssue, parsePlatformConfig } from "../../../../lib/config/parse";
import { baseValues, rawConfig } from "../../../support/stacks";

type Values = ReturnType<typeof baseValues> & { releases: Record<string, unknown>[] };

function problemsWith(index: number, sparkConf: Record<string, string>): string[] {
  const values = baseValues() as Values;
  values.releases[index]!["sparkConf"] = sparkConf;
  const result = parsePlatformConfig(rawConfig(values));
  return result.ok ? [] : result.issues.map(formatIssue);
}

const REFUSAL =
  "is set by the platform: a standalone release always authenticates and encrypts its RPC with its own secret (docs/hardening.md), so it cannot be overridden [releases: spark-35]";

describe("lib/config: a standalone release's RPC authentication is not configurable", () => {
  it("refuses every override that could weaken it, naming the key", () => {
    const keys = [
      "spark.authenticate",
      "spark.authenticate.secret",
      "spark.authenticate.enableSaslEncryption",
      "spark.network.crypto.enabled",
      "spark.network.crypto.saslFallback",
      "spark.network.sasl.serverAlwaysEncrypt",
      "spark.io.encryption.enabled",
    ];
    expect(problemsWith(0, Object.fromEntries(keys.map((k) => [k, "false"])))).to.deep.equal(
      keys.map((k) => `spark-platform:releases[0].sparkConf.${k}: ${REFUSAL}`),
    );
  });

  it("leaves neighbouring keys and Connect releases alone", () => {
    expect(
      problemsWith(0, { "spark.authenticator.custom": "x", "spark.io.compression.codec": "zstd" }),
    ).to.deep.equal([]);
    expect(problemsWith(1, { "spark.network.crypto.enabled": "true" })).to.deep.equal([]);
  });
});
