// releases[].standalone.recovery: its schema (lib/config/schema.ts), its defaults
// (lib/config/resolve.ts) and the sparkConf keys it owns (lib/config/isolation.ts).
import { expect } from "chai";
import { formatIssue, parsePlatformConfig } from "../../../../lib/config/parse";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";

type Values = ReturnType<typeof baseValues> & { releases: Record<string, unknown>[] };

function valuesWith(edit: (releases: Record<string, unknown>[]) => void): Values {
  const values = baseValues() as Values;
  edit(values.releases);
  return values;
}

const standaloneOf = (release: Record<string, unknown>) =>
  release["standalone"] as Record<string, unknown>;

const problems = (values: Values) => {
  const result = parsePlatformConfig(rawConfig(values));
  return result.ok ? [] : result.issues.map(formatIssue);
};

describe("lib/config: standalone.recovery", () => {
  it("defaults: on, the cluster's default StorageClass, 128Mi", () => {
    const config = parseValid(rawConfig(baseValues()));
    expect(config.releases[0]!.standalone!.recovery).to.deep.equal({
      enabled: true,
      size: "128Mi",
    });
  });

  it("takes enabled, storageClassName and size as given", () => {
    const config = parseValid(
      rawConfig(
        valuesWith(([spark35]) => {
          standaloneOf(spark35!)["recovery"] = {
            enabled: false,
            storageClassName: "spark-platform-local",
            size: "1Gi",
          };
        }),
      ),
    );
    expect(config.releases[0]!.standalone!.recovery).to.deep.equal({
      enabled: false,
      storageClassName: "spark-platform-local",
      size: "1Gi",
    });
  });

  it("refuses malformed values and unknown keys, naming the key", () => {
    const at = "spark-platform:releases[0].standalone.recovery";
    const cases: [Record<string, unknown>, string][] = [
      [{ enabled: "yes" }, `${at}.enabled`],
      [{ storageClassName: "Fast_SSD" }, `${at}.storageClassName`],
      [{ size: "128MB" }, `${at}.size`],
      [{ size: "0Mi" }, `${at}.size`],
      [{ accessMode: "ReadWriteMany" }, `${at}.accessMode`],
    ];
    for (const [recovery, key] of cases) {
      const lines = problems(
        valuesWith(([spark35]) => {
          standaloneOf(spark35!)["recovery"] = recovery;
        }),
      );
      expect(lines, JSON.stringify(recovery)).to.have.length(1);
      expect(lines[0]).to.match(
        new RegExp(`^${key.replace(/[.[\]]/g, "\\$&")}: .+ \\[releases: spark-35\\]$`),
      );
    }
  });

  it("is a standalone setting: a Connect release refuses it", () => {
    const lines = problems(
      valuesWith(([, spark41]) => {
        spark41!["standalone"] = { recovery: { enabled: true } };
      }),
    );
    expect(lines).to.deep.equal([
      "spark-platform:releases[1].standalone: is only valid with mode: standalone [releases: spark-41]",
    ]);
  });

  it("spark.deploy.recovery* in sparkConf is refused: the master alone gets it, from this key", () => {
    const lines = problems(
      valuesWith(([spark35]) => {
        spark35!["sparkConf"] = {
          "spark.deploy.recoveryMode": "ZOOKEEPER",
          "spark.deploy.recoveryDirectory": "/tmp",
        };
      }),
    );
    expect(lines).to.deep.equal([
      "spark-platform:releases[0].sparkConf.spark.deploy.recoveryMode: is set from standalone.recovery, on the master only (enabled, storageClassName, size); configure it there [releases: spark-35]",
      "spark-platform:releases[0].sparkConf.spark.deploy.recoveryDirectory: is set from standalone.recovery, on the master only (enabled, storageClassName, size); configure it there [releases: spark-35]",
    ]);
  });
});
