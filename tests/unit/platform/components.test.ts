import * as pulumi from "@pulumi/pulumi";
import { CONNECT_CERTIFICATES_TYPE } from "../../../platform/connectCertificates";
import { expect } from "chai";
import { evaluateProgram, resolve } from "../../../tools/render/evaluate";
import { PLACEHOLDER_SECRETS } from "../../../tools/cli/stackFiles";
import { baseValues, rawConfig, renderRaw, renderStack } from "../../support/stacks";

const COMPONENT_TYPES = {
  spark: "spark-platform:spark:SparkRelease",
  metastore: "spark-platform:metastore:IsolatedMetastore",
  history: "spark-platform:history:HistoryServerPrefix",
};

describe("components under mocks", () => {
  it("each release gets its three components, with three-part type tokens", async () => {
    const { resources } = await renderStack("dev");
    const components = resources.filter((r) => !r.custom && r.type.startsWith("spark-platform:"));
    expect(components.map((c) => `${c.type}::${c.name}`).sort()).to.deep.equal(
      [
        `${COMPONENT_TYPES.history}::spark-35-history`,
        `${COMPONENT_TYPES.history}::spark-41-history`,
        `${COMPONENT_TYPES.metastore}::spark-35-metastore`,
        `${COMPONENT_TYPES.metastore}::spark-41-metastore`,
        `${COMPONENT_TYPES.spark}::spark-35-spark`,
        `${COMPONENT_TYPES.spark}::spark-41-spark`,
      ].sort(),
    );
  });

  it("every Kubernetes object, database, role and marker is a child of its release's component", async () => {
    const { resources } = await renderStack("dev");
    const stackLevel = new Set([
      "Namespace",
      "spark-platform-bucket",
      "spark-platform-credentials-digest-key",
      "spark-platform-spark-authentication-key",
    ]);
    for (const resource of resources.filter(
      (r) => r.custom && !r.type.startsWith("pulumi:providers:"),
    )) {
      const kind = resource.inputs["kind"];
      // A Connect release's certificates outlive its component (a rollback of a
      // decommissioned release keeps the CA its clients trust): stack-level too.
      if (
        kind === "Namespace" ||
        stackLevel.has(resource.name) ||
        resource.type === CONNECT_CERTIFICATES_TYPE
      ) {
        // Stack-level (no component parent; under mocks there is no root Stack resource).
        expect(resource.parent, resource.name).not.to.match(/spark-platform:/);
        continue;
      }
      const release = resource.name.match(/^spark-(35|41)/)?.[0];
      expect(release, resource.name).to.be.a("string");
      expect(resource.parent, `${resource.type} ${resource.name}`).to.match(
        new RegExp(
          `spark-platform:(spark:SparkRelease|metastore:IsolatedMetastore|history:HistoryServerPrefix|benchmark:SparkBenchmark)::${release}-`,
        ),
      );
    }
  });

  it("standalone and Connect releases differ in workloads and RBAC", async () => {
    const { manifests } = await renderStack("dev");
    const kindsOf = (release: string) =>
      manifests
        .filter((m) => m.metadata?.name?.startsWith(`${release}-`) && m.kind !== "Namespace")
        .map((m) => `${m.kind}/${m.metadata?.name}`);
    const standalone = kindsOf("spark-35");
    const connect = kindsOf("spark-41");
    expect(standalone).to.include.members([
      "Deployment/spark-35-master",
      "Deployment/spark-35-worker",
      "Service/spark-35-master",
    ]);
    expect(standalone.filter((k) => k.startsWith("Role"))).to.deep.equal([]);
    expect(connect).to.include.members([
      "Deployment/spark-41-connect",
      "Service/spark-41-connect",
      "Role/spark-41-executor-manager",
      "RoleBinding/spark-41-executor-manager",
      "ConfigMap/spark-41-executor-template",
    ]);
    expect(connect.some((k) => k.includes("master") || k.includes("worker"))).to.equal(false);
  });

  it("Spark pods never get Kubernetes service links (SPARK_MASTER_PORT pitfall)", async () => {
    const { manifests } = await renderStack("dev");
    const deployments = manifests.filter((m) => m.kind === "Deployment") as unknown as {
      metadata: { name: string };
      spec: { template: { spec: { enableServiceLinks?: boolean } } };
    }[];
    expect(deployments).to.have.length(7);
    for (const d of deployments)
      expect(d.spec.template.spec.enableServiceLinks, d.metadata.name).to.equal(false);
  });

  it("a release without metastore registers no PostgreSQL resources and uses the in-memory catalog", async () => {
    const values = baseValues() as ReturnType<typeof baseValues> & {
      releases: Record<string, unknown>[];
    };
    values.releases[1]!["hiveMetastore"] = { enabled: false };
    const { resources, manifests } = await renderRaw(rawConfig(values));
    const pg = resources.filter(
      (r) => r.type.startsWith("postgresql:") && r.name.startsWith("spark-41"),
    );
    expect(pg).to.deep.equal([]);
    const defaults = manifests.find(
      (m) => m.metadata?.name === "spark-41-spark-defaults",
    ) as unknown as {
      data: Record<string, string>;
    };
    expect(defaults.data["spark-defaults.conf"]).to.contain(
      "spark.sql.catalogImplementation in-memory",
    );
    expect(defaults.data["spark-defaults.conf"]).not.to.contain("hive.metastore.uris");
  });

  it("the History Server starts after its prefix marker exists", async () => {
    const { resources } = await renderStack("dev");
    const deployment = resources.find(
      (r) => r.name === "spark-35-history" && r.inputs["kind"] === "Deployment",
    );
    const marker = resources.find((r) => r.name === "spark-35-event-log-prefix");
    expect(marker?.inputs["key"]).to.equal("3.5/events/.keep");
    expect(
      deployment?.dependencies.some((urn) => urn.endsWith("::spark-35-event-log-prefix")),
    ).to.equal(true);
  });

  it("the metastore starts after its schema-init Job, which runs after database and Secrets", async () => {
    const { resources } = await renderStack("dev");
    const job = resources.find((r) => r.name === "spark-41-metastore-schema-init");
    const deployment = resources.find(
      (r) => r.name === "spark-41-metastore" && r.inputs["kind"] === "Deployment",
    );
    expect(
      deployment?.dependencies.some((u) => u.endsWith("::spark-41-metastore-schema-init")),
    ).to.equal(true);
    expect(job?.dependencies.some((u) => u.endsWith("::spark-41-metastore-db"))).to.equal(true);
    expect(
      job?.dependencies.some((u) => u.endsWith("::spark-41-metastore-db") && u.includes("Secret")),
    ).to.equal(true);
  });
});

describe("program: invalid configuration registers nothing", () => {
  it("throws with every problem and registers no resource", async () => {
    const values = baseValues() as ReturnType<typeof baseValues> & {
      releases: Record<string, unknown>[];
    };
    values.releases[1]!["historyServer"] = { prefix: "3.5/events" };
    values.releases[1]!["hiveMetastore"] = { database: "metastore_spark35", role: "hms41" };
    let error: Error | undefined;
    try {
      await evaluateProgram(rawConfig(values), PLACEHOLDER_SECRETS, "invalid");
    } catch (e) {
      error = e as Error;
    }
    expect(error, "the program must refuse the configuration").to.be.instanceOf(pulumi.RunError);
    expect(error?.message).to.contain("nothing was created");
    expect(error?.message).to.contain("spark-platform:releases[1].historyServer.prefix");
    expect(error?.message).to.contain("spark-platform:releases[1].hiveMetastore.database");
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> };
    expect(monitor.resources.size, "resources registered with the monitor").to.equal(0);
  });
});

describe("stack outputs", () => {
  it("publish per release what other stacks need, and secrets only as a secret", async () => {
    const { evaluation } = await renderStack("prod");
    const { releases, jobRouting, metastoreCredentials } = evaluation.exports;
    expect(releases["spark-35"]).to.deep.include({
      namespace: "spark-35",
      serviceAccount: "spark-35-spark",
      sparkVersion: "3.5.7",
      image: "apache/spark:3.5.7-scala2.12-java17-python3-ubuntu",
      masterUrl: "spark://spark-35-master.spark-35.svc:7077",
      connectionUrl: "spark://spark-35-master.spark-35.svc:7077",
      metastoreUri: "thrift://spark-35-metastore.spark-35.svc:9083",
      metastoreDatabase: "metastore_spark35",
      historyServerUrl: "http://spark-35-history.spark-35.svc:18080",
      eventLogDir: "s3a://spark-logs/3.5/events",
    });
    expect(releases["spark-41"]).to.deep.include({
      connectUrl: "sc://spark-41-connect.spark-41.svc:15002/;use_ssl=true",
      image: "apache/spark:4.1.0-scala2.13-java21-python3-ubuntu",
      eventLogDir: "s3a://spark-logs/4.1/events",
    });
    expect(releases["spark-41"]?.masterUrl).to.equal(undefined);
    expect(jobRouting["clickstream-sessionize"]?.connectionUrl).to.equal(
      "sc://spark-41-connect.spark-41.svc:15002/;use_ssl=true",
    );
    // Names of Secrets are plain (the client Secrets', and how to use them); no value of
    // one is an output.
    expect(releases["spark-35"]?.clientSecret).to.equal("spark-35-spark-client");
    expect(releases["spark-41"]?.clientSecret).to.equal("spark-41-connect-client");
    expect(
      JSON.stringify({ releases, jobRouting }, (key, value: unknown) =>
        key === "clientSecret" || key === "authentication" ? undefined : value,
      ),
    ).not.to.match(/secret|password/i);
    expect(await pulumi.isSecret(metastoreCredentials)).to.equal(true);
    const credentials = await resolve(metastoreCredentials);
    expect(credentials["spark-35"]?.username).to.equal("metastore_spark35");
    expect(credentials["spark-35"]?.password).to.have.length(40);
    expect(credentials["spark-35"]?.password).not.to.equal(credentials["spark-41"]?.password);
  });
});

describe("object-store backends", () => {
  it("aws (default): @pulumi/aws pointed at MinIO, path-style", async () => {
    const { resources } = await renderStack("dev");
    const provider = resources.find((r) => r.type === "pulumi:providers:aws");
    expect(provider?.inputs).to.deep.include({
      s3UsePathStyle: "true",
      accessKey: "[secret]",
      secretKey: "[secret]",
    });
    expect(resources.filter((r) => r.type.startsWith("minio:"))).to.deep.equal([]);
  });

  it("minio: the same bucket and markers through @pulumi/minio, nothing through aws", async () => {
    const values = {
      ...baseValues(),
      objectStore: { endpoint: "http://127.0.0.1:9000", bucket: "spark-logs", provider: "minio" },
    };
    const { resources } = await renderRaw(rawConfig(values));
    expect(
      resources.filter((r) => r.type.startsWith("aws:") || r.type === "pulumi:providers:aws"),
    ).to.deep.equal([]);
    const provider = resources.find((r) => r.type === "pulumi:providers:minio");
    expect(provider?.inputs).to.deep.include({
      minioServer: "127.0.0.1:9000",
      minioUser: "[secret]",
      minioPassword: "[secret]",
    });
    const bucket = resources.find((r) => r.type === "minio:index/s3Bucket:S3Bucket");
    expect(bucket?.inputs["bucket"]).to.equal("spark-logs");
    expect(bucket?.retainOnDelete).to.equal(true);
    const markers = resources.filter((r) => r.type === "minio:index/s3Object:S3Object");
    expect(markers.map((m) => m.inputs["objectName"])).to.have.members([
      "3.5/events/.keep",
      "4.1/events/.keep",
    ]);
    expect(markers.every((m) => m.retainOnDelete)).to.equal(true);
  });
});

describe("dynamic backends (engines without the postgresql/aws/minio plugins)", () => {
  it("create the same roles, databases, bucket and markers, with connections kept secret", async () => {
    const values = {
      ...baseValues(),
      postgres: { host: "127.0.0.1", port: 55432, sslmode: "disable", provider: "dynamic" },
      objectStore: { endpoint: "http://127.0.0.1:9000", bucket: "spark-logs", provider: "dynamic" },
    };
    const { resources } = await renderRaw(rawConfig(values));
    const byType = (suffix: string) =>
      resources.filter((r) => r.type === `pulumi-nodejs:dynamic/spark-platform:${suffix}`);
    expect(
      resources.filter((r) =>
        /^(postgresql|aws|minio):|pulumi:providers:(postgresql|aws|minio)/.test(r.type),
      ),
    ).to.deep.equal([]);
    expect(byType("PostgresRole").map((r) => r.inputs["name"])).to.have.members([
      "metastore_spark35",
      "metastore_spark41",
    ]);
    const databases = byType("PostgresDatabase");
    expect(databases.map((r) => `${r.inputs["name"]}:${r.inputs["owner"]}`)).to.have.members([
      "metastore_spark35:metastore_spark35",
      "metastore_spark41:metastore_spark41",
    ]);
    expect(byType("S3Bucket").map((r) => r.inputs["bucket"])).to.deep.equal(["spark-logs"]);
    expect(byType("S3Object").map((r) => r.inputs["key"])).to.have.members([
      "3.5/events/.keep",
      "4.1/events/.keep",
    ]);
    for (const resource of [
      ...byType("PostgresRole"),
      ...databases,
      ...byType("S3Bucket"),
      ...byType("S3Object"),
    ]) {
      expect(resource.retainOnDelete, resource.name).to.equal(true);
      expect(JSON.stringify(resource.inputs["connection"]), resource.name).to.match(
        /^("\[secret\]"|\{.*"\[secret\]".*\})$/,
      );
    }
    expect(byType("PostgresRole").every((r) => r.inputs["password"] === "[secret]")).to.equal(true);
  });
});
