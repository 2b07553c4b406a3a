import { expect } from "chai";
import { parsePlatformConfig } from "../../../../lib/config/parse";
import type { ConfigIssue } from "../../../../lib/config/model";
import { platformOutputs } from "../../../../lib/contract/outputs";
import { baseValues, parseValid, rawConfig, renderStack } from "../../../support/stacks";

type Job = Record<string, unknown>;

function issuesOf(jobs: Job[], extra: Record<string, unknown> = {}): readonly ConfigIssue[] {
  const result = parsePlatformConfig(rawConfig({ ...baseValues(), ...extra, jobs }));
  return result.ok ? [] : result.issues;
}

describe("job routing validation", () => {
  it("accepts jobs routed to active releases", () => {
    expect(
      issuesOf([
        { id: "a", release: "spark-35" },
        { id: "b", release: "spark-41", pilot: true, owner: "analytics", description: "x" },
      ]),
    ).to.deep.equal([]);
  });

  it("refuses a job routed to an unknown release, naming the job, the key and known releases", () => {
    const issues = issuesOf([
      { id: "a", release: "spark-35" },
      { id: "churn", release: "spark-40" },
    ]);
    expect(issues).to.have.length(1);
    expect(issues[0]!.key).to.equal("spark-platform:jobs[1].release");
    expect(issues[0]!.message).to.contain("job churn");
    expect(issues[0]!.message).to.contain("unknown release spark-40");
    expect(issues[0]!.message).to.contain("spark-35, spark-41");
  });

  it("refuses a duplicate job id, naming both positions", () => {
    const issues = issuesOf([
      { id: "a", release: "spark-35" },
      { id: "a", release: "spark-41" },
    ]);
    expect(issues.map((i) => i.key)).to.deep.equal(["spark-platform:jobs[1].id"]);
    expect(issues[0]!.message).to.equal("duplicate job id a (also jobs[0])");
  });

  it("refuses a job routed to a decommissioned release", () => {
    const releases = (baseValues()["releases"] as Job[]).map((r, i) =>
      i === 0 ? { ...r, decommissioned: true } : r,
    );
    const issues = issuesOf(
      [
        { id: "ok", release: "spark-41" },
        { id: "daily-sales-rollup", release: "spark-35" },
      ],
      { releases },
    );
    expect(issues).to.have.length(1);
    expect(issues[0]!.key).to.equal("spark-platform:jobs[1].release");
    expect(issues[0]!.message).to.contain("job daily-sales-rollup");
    expect(issues[0]!.message).to.contain("decommissioned");
    expect(issues[0]!.releases).to.deep.equal(["spark-35"]);
  });

  it("refuses unknown keys and malformed ids in a job", () => {
    const issues = issuesOf([{ id: "Bad Id", release: "spark-35", pilto: true }]);
    expect(issues.map((i) => i.key).sort()).to.deep.equal([
      "spark-platform:jobs[0].id",
      "spark-platform:jobs[0].pilto",
    ]);
    const malformed = issuesOf([{ id: "Bad Id", release: "spark-35" }]);
    expect(malformed.map((i) => i.key)).to.deep.equal(["spark-platform:jobs[0].id"]);
  });
});

describe("releases output: client namespaces", () => {
  it("lists each release's granted client namespaces in config order (empty: none)", () => {
    const values = baseValues() as Record<string, unknown> & {
      releases: Record<string, unknown>[];
    };
    values.releases[0]!["clients"] = [
      { namespace: "team-pipelines" },
      { namespace: "airflow", serviceAccounts: ["airflow-worker"] },
    ];
    const { releases } = platformOutputs(parseValid(rawConfig(values)));
    expect(releases["spark-35"]!.clientNamespaces).to.deep.equal(["team-pipelines", "airflow"]);
    expect(releases["spark-41"]!.clientNamespaces).to.deep.equal([]);
    expect(releases["spark-35"]!.clientPodLabel).to.deep.equal({
      key: "spark-platform.io/client-of",
      value: "spark-35",
    });
  });
});

describe("client Secrets and authentication in the outputs", () => {
  const withClients = () => {
    const values = baseValues() as Record<string, unknown> & {
      releases: Record<string, unknown>[];
    };
    for (const release of values.releases) release["clients"] = [{ namespace: "airflow" }];
    values["jobs"] = [
      { id: "daily-sales-rollup", release: "spark-35" },
      { id: "clickstream-sessionize", release: "spark-41" },
    ];
    return platformOutputs(parseValid(rawConfig(values)));
  };

  it("names each release's client Secret: the standalone one and the Connect one, never a value", () => {
    const { releases } = withClients();
    expect(releases["spark-35"]!.clientSecret).to.equal("spark-35-spark-client");
    expect(releases["spark-41"]!.clientSecret).to.equal("spark-41-connect-client");
    expect(releases["spark-41"]!.connectionUrl).to.equal(
      "sc://spark-41-connect.spark.svc:15002/;use_ssl=true",
    );
  });

  it("tells a Connect job how to authenticate: the Secret, its keys, the CA variable, the URL parameter", () => {
    const { jobRouting } = withClients();
    expect(jobRouting["clickstream-sessionize"]!.authentication).to.deep.include({
      kind: "connect-token-tls",
      secret: "spark-41-connect-client",
      keys: { token: "token", caCert: "ca.crt" },
      caFileEnv: "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH",
      urlTokenParameter: "token",
    });
    expect(jobRouting["daily-sales-rollup"]!.authentication).to.deep.include({
      kind: "spark-authenticate",
      secret: "spark-35-spark-client",
      keys: { sparkDefaults: "spark-defaults.conf", properties: "spark-auth.properties" },
    });
  });

  it("a release without clients has neither a client Secret nor an authentication route", () => {
    const { releases, jobRouting } = platformOutputs(
      parseValid(rawConfig({ ...baseValues(), jobs: [{ id: "j", release: "spark-41" }] })),
    );
    expect(releases["spark-41"]).to.not.have.property("clientSecret");
    expect(jobRouting["j"]).to.not.have.property("authentication");
  });
});

describe("jobRouting output", () => {
  const jobs = [
    { id: "daily-sales-rollup", release: "spark-35" },
    { id: "clickstream-sessionize", release: "spark-41", pilot: true },
  ];

  it("tells each job its release, version, mode, URL, metastore and event-log dir", () => {
    const { jobRouting } = platformOutputs(parseValid(rawConfig({ ...baseValues(), jobs })));
    expect(jobRouting).to.deep.equal({
      "daily-sales-rollup": {
        jobId: "daily-sales-rollup",
        release: "spark-35",
        sparkVersion: "3.5.7",
        mode: "standalone",
        namespace: "spark",
        connectionUrl: "spark://spark-35-master.spark.svc:7077",
        metastoreUri: "thrift://spark-35-metastore.spark.svc:9083",
        eventLogDir: "s3a://spark-logs/3.5/events",
        historyServerUrl: "http://spark-35-history.spark.svc:18080",
        clientPodLabel: { key: "spark-platform.io/client-of", value: "spark-35" },
      },
      "clickstream-sessionize": {
        jobId: "clickstream-sessionize",
        release: "spark-41",
        sparkVersion: "4.1.0",
        mode: "connect",
        namespace: "spark",
        connectionUrl: "sc://spark-41-connect.spark.svc:15002/;use_ssl=true",
        metastoreUri: "thrift://spark-41-metastore.spark.svc:9083",
        eventLogDir: "s3a://spark-logs/4.1/events",
        historyServerUrl: "http://spark-41-history.spark.svc:18080",
        clientPodLabel: { key: "spark-platform.io/client-of", value: "spark-41" },
      },
    });
  });

  it("moving a job changes only its route; without a metastore there is no metastoreUri", () => {
    const releases = (baseValues()["releases"] as Job[]).map((r, i) =>
      i === 1 ? { ...r, hiveMetastore: { enabled: false } } : r,
    );
    const moved = jobs.map((j) => ({ ...j, release: "spark-41" }));
    const { jobRouting } = platformOutputs(
      parseValid(
        rawConfig({ ...baseValues(), namespaceLayout: "perRelease", releases, jobs: moved }),
      ),
    );
    expect(jobRouting["daily-sales-rollup"]).to.deep.equal({
      jobId: "daily-sales-rollup",
      release: "spark-41",
      sparkVersion: "4.1.0",
      mode: "connect",
      namespace: "spark-41",
      connectionUrl: "sc://spark-41-connect.spark-41.svc:15002/;use_ssl=true",
      eventLogDir: "s3a://spark-logs/4.1/events",
      historyServerUrl: "http://spark-41-history.spark-41.svc:18080",
      clientPodLabel: { key: "spark-platform.io/client-of", value: "spark-41" },
    });
  });

  it("the program exports the routing of the committed dev stack", async () => {
    const dev = await renderStack("dev");
    const routing = dev.evaluation.exports.jobRouting;
    expect(Object.keys(routing).sort()).to.deep.equal(dev.config.jobs.map((j) => j.id).sort());
    for (const job of dev.config.jobs) {
      const release = dev.config.releases.find((r) => r.name === job.release)!;
      expect(routing[job.id]).to.include({
        release: job.release,
        sparkVersion: release.sparkVersion,
        mode: release.mode,
        eventLogDir: release.history.eventLogDir,
      });
      expect(routing[job.id]!.connectionUrl).to.equal(
        release.mode === "connect"
          ? `sc://${release.name}-connect.${release.namespace}.svc:15002/;use_ssl=true`
          : `spark://${release.name}-master.${release.namespace}.svc:7077`,
      );
    }
  });
});
