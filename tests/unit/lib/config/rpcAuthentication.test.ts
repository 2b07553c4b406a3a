// The sparkConf keys a release's RPC authentication and encryption own
// (lib/config/isolation.ts): always on, standalone and Connect, so no override is accepted.
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

const refusal = (release: string) =>
  `is set by the platform: a release always authenticates and encrypts its RPC with its own secret (docs/hardening.md), so it cannot be overridden [releases: ${release}]`;

describe("lib/config: a release's RPC authentication is not configurable", () => {
  const keys = [
    "spark.authenticate",
    "spark.authenticate.secret",
    "spark.authenticate.enableSaslEncryption",
    "spark.network.crypto.enabled",
    "spark.network.crypto.saslFallback",
    "spark.network.sasl.serverAlwaysEncrypt",
    "spark.io.encryption.enabled",
    "spark.authenticate.secret.file",
  ];
  for (const [index, release] of [
    [0, "spark-35"],
    [1, "spark-41"],
  ] as const) {
    it(`refuses every override that could weaken ${release}'s, naming the key`, () => {
      expect(problemsWith(index, Object.fromEntries(keys.map((k) => [k, "false"])))).to.deep.equal(
        keys.map((k) => `spark-platform:releases[${index}].sparkConf.${k}: ${refusal(release)}`),
      );
    });
  }

  it("leaves neighbouring keys alone", () => {
    for (const index of [0, 1]) {
      expect(
        problemsWith(index, {
          "spark.authenticator.custom": "x",
          "spark.io.compression.codec": "zstd",
        }),
      ).to.deep.equal([]);
    }
  });
});
