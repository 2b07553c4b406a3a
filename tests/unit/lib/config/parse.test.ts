import { expect } from "chai";
import type { ConfigIssue, RawConfig } from "../../../../lib/config/model";
import { formatIssue, parsePlatformConfig } from "../../../../lib/config/parse";
import { rawConfigFromStackFile, rawConfigFromStackYaml } from "../../../../lib/config/sources";
import { stackFilePath } from "../../../../tools/cli/stackFiles";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";
import { issueAt, withClients } from "../../../support/clientConfig";

type Values = ReturnType<typeof baseValues>;
type ReleaseValues = Record<string, unknown>;

/** Base config with one edit applied to a release (index) or the top level. */
function withRelease(index: number, edit: (release: ReleaseValues) => void): RawConfig {
  const values = baseValues() as Values & { releases: ReleaseValues[] };
  edit(values.releases[index]!);
  return rawConfig(values);
}

function issuesOf(raw: RawConfig): ConfigIssue[] {
  const result = parsePlatformConfig(raw);
  expect(result.ok, "configuration should be refused").to.equal(false);
  return result.ok ? [] : [...result.issues];
}

function expectIssue(raw: RawConfig, key: string, message: RegExp, releases?: string[]): void {
  const issues = issuesOf(raw);
  const match = issues.find((i) => i.key === key && message.test(i.message));
  expect(
    match !== undefined,
    `expected an issue on ${key} matching ${message}; got:\n${issues.map(formatIssue).join("\n")}`,
  ).to.equal(true);
  if (releases) expect([...match!.releases].sort()).to.deep.equal([...releases].sort());
}

describe("config: the committed stacks", () => {
  for (const stack of ["dev", "prod"]) {
    it(`Pulumi.${stack}.yaml is valid`, () => {
      const config = parseValid(rawConfigFromStackFile(stackFilePath(stack)));
      expect(config.releases.map((r) => `${r.name}:${r.sparkVersion}:${r.mode}`)).to.deep.equal([
        "spark-35:3.5.7:standalone",
        "spark-41:4.1.0:connect",
      ]);
    });
  }

  it("dev shares one namespace, prod gives each release its own", () => {
    const dev = parseValid(rawConfigFromStackFile(stackFilePath("dev")));
    const prod = parseValid(rawConfigFromStackFile(stackFilePath("prod")));
    expect(dev.releases.map((r) => r.namespace)).to.deep.equal(["spark", "spark"]);
    expect(prod.releases.map((r) => r.namespace)).to.deep.equal(["spark-35", "spark-41"]);
    expect(prod.protectData).to.equal(true);
  });
});

describe("config: defaults derive from the release", () => {
  it("database, role, event-log and warehouse prefixes, ServiceAccount and images", () => {
    const config = parseValid(
      rawConfig({
        ...baseValues(),
        releases: [{ name: "team-a-41", sparkVersion: "4.1.0", mode: "connect" }],
      }),
    );
    const release = config.releases[0]!;
    expect(release.metastore.database).to.equal("metastore_teama41");
    expect(release.metastore.role).to.equal("metastore_teama41");
    expect(release.history.prefix).to.equal("team-a-41/events");
    expect(release.history.eventLogDir).to.equal("s3a://spark-logs/team-a-41/events");
    expect(release.warehouseDir).to.equal("s3a://spark-logs/warehouse/team-a-41");
    expect(release.names.serviceAccount).to.equal("team-a-41-spark");
    expect(release.image).to.equal("apache/spark:4.1.0-scala2.13-java21-python3-ubuntu");
    expect(release.metastore.image).to.equal("apache/hive:4.0.0");
    expect(release.connect?.executorInstances).to.equal(2);
  });

  it("version-matched metastore: Hive 3.1.3 for Spark 3.5, 4.0.0 for 4.1, overridable", () => {
    const config = parseValid(
      withRelease(1, (r) => {
        r["hiveMetastore"] = {
          database: "metastore_spark41",
          image: "registry.local/hive:4.0.0-pg",
        };
      }),
    );
    expect(config.releases[0]!.metastore.image).to.equal("apache/hive:3.1.3");
    expect(config.releases[1]!.metastore.image).to.equal("registry.local/hive:4.0.0-pg");
  });

  it("two teams may each run their own 4.1.0 release", () => {
    const config = parseValid(
      rawConfig({
        ...baseValues(),
        releases: [
          { name: "team-a-41", sparkVersion: "4.1.0", mode: "connect" },
          { name: "team-b-41", sparkVersion: "4.1.0", mode: "connect" },
          { name: "legacy-35", sparkVersion: "3.5.7", mode: "standalone" },
        ],
      }),
    );
    expect(new Set(config.releases.map((r) => r.metastore.database)).size).to.equal(3);
    expect(new Set(config.releases.map((r) => r.history.prefix)).size).to.equal(3);
  });
});

describe("config: isolation is refused before anything is created", () => {
  it("duplicate release names", () => {
    expectIssue(
      withRelease(1, (r) => (r["name"] = "spark-35")),
      "spark-platform:releases[1].name",
      /duplicate release name spark-35/,
      ["spark-35"],
    );
  });

  it("two metastores sharing a database", () => {
    expectIssue(
      withRelease(
        1,
        (r) => (r["hiveMetastore"] = { database: "metastore_spark35", role: "hms41" }),
      ),
      "spark-platform:releases[1].hiveMetastore.database",
      /metastore_spark35 is already used by release spark-35/,
      ["spark-35", "spark-41"],
    );
  });

  it("two metastores sharing a role", () => {
    expectIssue(
      withRelease(
        1,
        (r) => (r["hiveMetastore"] = { database: "metastore_spark41", role: "metastore_spark35" }),
      ),
      "spark-platform:releases[1].hiveMetastore.role",
      /role metastore_spark35 is already used by release spark-35/,
      ["spark-35", "spark-41"],
    );
  });

  it("the same event-log prefix (the peer charts' default)", () => {
    expectIssue(
      withRelease(1, (r) => (r["historyServer"] = { prefix: "3.5/events" })),
      "spark-platform:releases[1].historyServer.prefix",
      /overlaps historyServer.prefix 3.5\/events of release spark-35/,
      ["spark-35", "spark-41"],
    );
  });

  it("one prefix containing another", () => {
    expectIssue(
      withRelease(1, (r) => (r["historyServer"] = { prefix: "3.5/events/spark-41" })),
      "spark-platform:releases[1].historyServer.prefix",
      /must not be equal or contain one another/,
      ["spark-35", "spark-41"],
    );
    expectIssue(
      withRelease(1, (r) => (r["historyServer"] = { prefix: "3.5" })),
      "spark-platform:releases[1].historyServer.prefix",
      /overlaps/,
    );
  });

  it("a warehouse prefix inside another release's event logs", () => {
    expectIssue(
      withRelease(1, (r) => (r["warehousePrefix"] = "3.5/events/wh")),
      "spark-platform:releases[1].warehousePrefix",
      /overlaps historyServer.prefix 3.5\/events of release spark-35/,
    );
  });

  it("two releases sharing a ServiceAccount in one namespace", () => {
    const raw = rawConfig({
      ...baseValues(),
      releases: [
        {
          name: "spark-35",
          sparkVersion: "3.5.7",
          mode: "standalone",
          serviceAccountName: "spark",
        },
        { name: "spark-41", sparkVersion: "4.1.0", mode: "connect", serviceAccountName: "spark" },
      ],
    });
    expectIssue(
      raw,
      "spark-platform:releases[1].serviceAccountName",
      /ServiceAccount spark in namespace spark/,
      ["spark-35", "spark-41"],
    );
  });

  it("object names that collide across releases", () => {
    const raw = rawConfig({
      ...baseValues(),
      releases: [
        { name: "team", sparkVersion: "4.1.0", mode: "connect" },
        { name: "team-metastore", sparkVersion: "4.1.0", mode: "connect" },
      ],
    });
    expectIssue(
      raw,
      "spark-platform:releases[1].name",
      /team-metastore-object-store in namespace spark collide/,
      ["team", "team-metastore"],
    );
  });

  it("two releases in one namespace under perRelease layout", () => {
    const values = { ...baseValues(), namespaceLayout: "perRelease" } as unknown as Values & {
      releases: ReleaseValues[];
    };
    values.releases[0]!["namespace"] = "spark";
    values.releases[1]!["namespace"] = "spark";
    expectIssue(
      rawConfig(values),
      "spark-platform:releases[1].namespace",
      /namespace spark is already used/,
    );
  });

  it("a release namespace under the shared layout", () => {
    expectIssue(
      withRelease(0, (r) => (r["namespace"] = "elsewhere")),
      "spark-platform:releases[0].namespace",
      /only valid with namespaceLayout: perRelease/,
      ["spark-35"],
    );
  });

  it("sparkConf that would re-point a release at another's data", () => {
    expectIssue(
      withRelease(
        0,
        (r) => (r["sparkConf"] = { "spark.eventLog.dir": "s3a://spark-logs/4.1/events" }),
      ),
      "spark-platform:releases[0].sparkConf.spark.eventLog.dir",
      /set by the platform/,
    );
    expectIssue(
      withRelease(0, (r) => (r["sparkConf"] = { "spark.hadoop.fs.s3a.secret.key": "x" })),
      "spark-platform:releases[0].sparkConf.spark.hadoop.fs.s3a.secret.key",
      /looks like a credential/,
    );
  });
});

describe("config: bad input names the key", () => {
  it("unsupported Spark versions and version/mode combinations", () => {
    expectIssue(
      withRelease(0, (r) => (r["sparkVersion"] = "3.4.1")),
      "spark-platform:releases[0].sparkVersion",
      /3.4.1 is not supported; supported: 3.5.x \(standalone\); 4.1.x/,
      ["spark-35"],
    );
    expectIssue(
      withRelease(0, (r) => (r["mode"] = "connect")),
      "spark-platform:releases[0].mode",
      /connect is not supported for Spark 3.5.x/,
    );
    expectIssue(
      withRelease(0, (r) => (r["sparkVersion"] = "4.1")),
      "spark-platform:releases[0].sparkVersion",
      /full version/,
    );
    expectIssue(
      withRelease(1, (r) => (r["standalone"] = { workers: 1 })),
      "spark-platform:releases[1].standalone",
      /only valid with mode: standalone/,
    );
  });

  it("unknown enum values", () => {
    expectIssue(
      rawConfig({ ...baseValues(), namespaceLayout: "perTeam" }),
      "spark-platform:namespaceLayout",
      /perRelease/,
    );
    expectIssue(
      withRelease(0, (r) => (r["mode"] = "yarn")),
      "spark-platform:releases[0].mode",
      /standalone/,
      ["spark-35"],
    );
    expectIssue(
      rawConfig({ ...baseValues(), postgres: { host: "pg", sslmode: "strict" } }),
      "spark-platform:postgres.sslmode",
      /disable/,
    );
  });

  it("invalid Kubernetes names, including length", () => {
    expectIssue(
      withRelease(0, (r) => (r["name"] = "Spark35")),
      "spark-platform:releases[0].name",
      /lowercase letter/,
    );
    expectIssue(
      withRelease(0, (r) => (r["name"] = "35-spark")),
      "spark-platform:releases[0].name",
      /start with a lowercase letter/,
    );
    const longName = `s${"x".repeat(40)}`;
    expectIssue(
      withRelease(0, (r) => (r["name"] = longName)),
      "spark-platform:releases[0].name",
      /at most 40 keep every derived/,
    );
    expectIssue(
      rawConfig({ ...baseValues(), sharedNamespace: "Spark_NS" }),
      "spark-platform:sharedNamespace",
      /DNS-1123/,
    );
  });

  it("invalid PostgreSQL identifiers", () => {
    expectIssue(
      withRelease(0, (r) => (r["hiveMetastore"] = { database: "metastore-spark35" })),
      "spark-platform:releases[0].hiveMetastore.database",
      /PostgreSQL identifier/,
    );
    expectIssue(
      withRelease(0, (r) => (r["hiveMetastore"] = { database: `m${"x".repeat(63)}` })),
      "spark-platform:releases[0].hiveMetastore.database",
      /at most 63/,
    );
    expectIssue(
      withRelease(0, (r) => (r["hiveMetastore"] = { role: "postgres" })),
      "spark-platform:releases[0].hiveMetastore.role",
      /admin user/,
    );
  });

  it("invalid bucket names and prefixes", () => {
    const store = (bucket: string) =>
      rawConfig({ ...baseValues(), objectStore: { endpoint: "http://minio:9000", bucket } });
    expectIssue(store("Spark_Logs"), "spark-platform:objectStore.bucket", /lowercase/);
    expectIssue(store("ab"), "spark-platform:objectStore.bucket", /3 to 63/);
    expectIssue(store("192.168.1.10"), "spark-platform:objectStore.bucket", /IP address/);
    expectIssue(
      withRelease(0, (r) => (r["historyServer"] = { prefix: "/3.5/events/" })),
      "spark-platform:releases[0].historyServer.prefix",
      /relative key prefix/,
    );
    expectIssue(
      withRelease(0, (r) => (r["historyServer"] = { prefix: "3.5/../4.1" })),
      "spark-platform:releases[0].historyServer.prefix",
      /'\.\.'/,
    );
  });

  it("a standalone executorMemory larger than a worker is refused, naming the key", () => {
    expectIssue(
      withRelease(0, (r) => (r["standalone"] = { workerMemory: "768m", executorMemory: "1g" })),
      "spark-platform:releases[0].standalone.executorMemory",
      /more than a worker offers \(workerMemory 768m\).*wait for resources forever/,
    );
  });

  it("a rolling event-log size below the line's minimum, or on a standalone release", () => {
    expectIssue(
      withRelease(
        1,
        (r) => (r["historyServer"] = { prefix: "4.1/events", rollingMaxFileSize: "1m" }),
      ),
      "spark-platform:releases[1].historyServer.rollingMaxFileSize",
      /1m is below 2m, the smallest spark\.eventLog\.rolling\.maxFileSize Spark 4\.1 accepts/,
      ["spark-41"],
    );
    expectIssue(
      withRelease(
        0,
        (r) => (r["historyServer"] = { prefix: "3.5/events", rollingMaxFileSize: "16m" }),
      ),
      "spark-platform:releases[0].historyServer.rollingMaxFileSize",
      /is only valid with mode: connect/,
    );
    expectIssue(
      withRelease(1, (r) => (r["historyServer"] = { rollingMaxFileSize: "2" })),
      "spark-platform:releases[1].historyServer.rollingMaxFileSize",
      /must be a JVM size with a unit/,
    );
  });

  it("malformed sizes and endpoints", () => {
    expectIssue(
      withRelease(0, (r) => (r["standalone"] = { workerMemory: "4GB" })),
      "spark-platform:releases[0].standalone.workerMemory",
      /JVM size/,
    );
    expectIssue(
      withRelease(0, (r) => (r["standalone"] = { workerCores: 0 })),
      "spark-platform:releases[0].standalone.workerCores",
      /at least 1/,
    );
    for (const endpoint of ["minio:9000", "http://minio:9000/spark", "ftp://minio:21"]) {
      expectIssue(
        rawConfig({ ...baseValues(), objectStore: { endpoint, bucket: "spark-logs" } }),
        "spark-platform:objectStore.endpoint",
        /http\(s\) URL/,
      );
    }
  });

  it("missing required secrets, and credentials set in plain text", () => {
    const values = baseValues();
    expectIssue(
      { values, secretKeys: new Set() },
      "spark-platform:postgresAdminPassword",
      /--secret postgresAdminPassword/,
    );
    expectIssue(
      { values, secretKeys: new Set() },
      "spark-platform:objectStoreSecretKey",
      /is required/,
    );
    expectIssue(
      { values: { ...values, postgresAdminPassword: "hunter2" }, secretKeys: new Set() },
      "spark-platform:postgresAdminPassword",
      /plain text/,
    );
  });

  it("unknown keys, top-level and nested, instead of silently matching nothing", () => {
    expectIssue(
      rawConfig({ ...baseValues(), historyServers: {} }),
      "spark-platform:historyServers",
      /unknown key/,
    );
    expectIssue(
      withRelease(1, (r) => (r["historyServer"] = { prefx: "4.1/events" })),
      "spark-platform:releases[1].historyServer.prefx",
      /unknown key/,
      ["spark-41"],
    );
  });

  it("provider config keys the explicit providers would ignore", () => {
    const raw = rawConfigFromStackYaml(
      "config:\n  kubernetes:context: kind-dev\n  spark-platform:releases: []\n",
    );
    expectIssue(raw, "kubernetes:context", /explicit providers/);
  });

  it("reports every problem at once, one line each", () => {
    const raw = rawConfig({ ...baseValues(), namespaceLayout: "perTeam", sharedNamespace: "X" });
    const lines = issuesOf(raw).map(formatIssue);
    expect(lines).to.have.length(2);
    expect(lines.join("\n")).to.match(
      /^spark-platform:namespaceLayout: .*\nspark-platform:sharedNamespace: /,
    );
  });
});

describe("config: stack files", () => {
  it("secure values count as present and are marked secret", () => {
    const raw = rawConfigFromStackYaml(
      "config:\n  spark-platform:postgresAdminPassword:\n    secure: v1:abc\n  spark-platform:sharedNamespace: spark\n",
    );
    expect(raw.values["postgresAdminPassword"]).to.equal("[secret]");
    expect(raw.secretKeys.has("postgresAdminPassword")).to.equal(true);
    expect(raw.secretKeys.has("sharedNamespace")).to.equal(false);
  });
});

describe("config: releases[].clients entries the schema refuses, naming the key", () => {
  it("a namespace that is no DNS-1123 label", () => {
    issueAt(
      withClients(undefined, [{ namespace: "Team_Pipelines" }]),
      "spark-platform:releases[1].clients[0].namespace",
      /DNS-1123 label/,
    );
  });
  it("a ServiceAccount name that the API server would refuse", () => {
    issueAt(
      withClients([{ namespace: "airflow", serviceAccounts: ["ok", "Airflow Worker"] }], []),
      "spark-platform:releases[0].clients[0].serviceAccounts[1]",
      /DNS-1123 subdomain/,
    );
  });
  it("an empty serviceAccounts list, saying both things it could mean", () => {
    const issue = issueAt(
      withClients([{ namespace: "airflow", serviceAccounts: [] }], []),
      "spark-platform:releases[0].clients[0].serviceAccounts",
      /at least one ServiceAccount/,
    );
    expect(issue.message).to.include("remove the entry").and.include("omit serviceAccounts");
    expect(issue.releases).to.deep.equal(["spark-35"]);
  });
  it("an unknown key in an entry", () => {
    issueAt(
      withClients([{ namespace: "airflow", serviceAccount: "airflow-worker" }], []),
      "spark-platform:releases[0].clients[0].serviceAccount",
      /unknown key/,
    );
  });
});
