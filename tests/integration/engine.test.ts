// Real Pulumi engine (built by scripts/toolchain.sh) on the dev and prod stacks, with
// offline backends: local PostgreSQL and MinIO through the platform's dynamic providers
// (real SQL, real S3 API), the real kubernetes provider rendering manifests to a
// directory (no cluster). Run: npm run test:integration (see docs/engine.md).
import { expect } from "chai";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { Client as MinioClient } from "minio";
import { Client as PgClient } from "pg";
import { PLACEHOLDER_SECRETS } from "../../tools/cli/stackFiles";
import type { RawConfig } from "../../lib/config/model";
import { SECRET_PLACEHOLDER } from "../../lib/config/sources";
import { SECRET_KEYS } from "../../tools/engine/stackFile";
import { isEngineOwned, urnOf } from "../../tools/engine/urns";
import {
  PLATFORM_PROJECT,
  prepareConsumerStack,
  preparePlatformStack,
  toolchain,
  type LocalBackendsInfo,
  type PreparedStack,
} from "../../tools/engine/workspace";
import { evaluateProgram } from "../../tools/render/evaluate";

const RUN = `it${Date.now().toString(36)}`;
const DEV = `${RUN}-dev`;
const PROD = `${RUN}-prod`;
const DATABASES = { "spark-35": "metastore_spark35", "spark-41": "metastore_spark41" };
const MARKERS = ["3.5/events/.keep", "4.1/events/.keep"];
const BUCKET = "spark-logs";
const PROBE_TABLE = `probe_${RUN}`;

const quiet = process.env["SPARK_PLATFORM_IT_VERBOSE"] ? undefined : () => {};
const output = (text: string) => (quiet ? undefined : process.stdout.write(text));

/** The raw config the engine ran with (secrets as placeholders, like `npm run render`). */
function rawOf(prepared: PreparedStack): RawConfig {
  return {
    values: {
      ...prepared.values,
      ...Object.fromEntries(SECRET_KEYS.map((k) => [k, SECRET_PLACEHOLDER])),
    },
    secretKeys: new Set(SECRET_KEYS),
    providerKeys: [],
  };
}

/** URNs of the program's resources in a real preview (Stack and default providers left out). */
async function previewUrns(prepared: PreparedStack, policyPack?: string): Promise<Set<string>> {
  const urns = new Set<string>();
  const onEvent = (event: EngineEvent) => {
    const urn = event.resourcePreEvent?.metadata.urn;
    if (urn && !isEngineOwned(urn)) urns.add(urn);
  };
  await prepared.stack.preview({
    onEvent,
    onOutput: output,
    ...(policyPack ? { policyPacks: [policyPack] } : {}),
  });
  return urns;
}

/** The engine's preview lists exactly the resources the mock evaluation registers. */
function expectSameResources(engine: Set<string>, mock: Set<string>): void {
  expect(engine.size).to.be.greaterThan(50);
  expect(
    [...engine].filter((u) => !mock.has(u)),
    "engine-only",
  ).to.deep.equal([]);
  expect(
    [...mock].filter((u) => !engine.has(u)),
    "mock-only",
  ).to.deep.equal([]);
}

async function mockUrns(prepared: PreparedStack): Promise<Set<string>> {
  const { resources } = await evaluateProgram(
    rawOf(prepared),
    PLACEHOLDER_SECRETS,
    prepared.stackName,
  );
  return new Set(resources.map((r) => urnOf(r, prepared.stackName, PLATFORM_PROJECT)));
}

function renderedFiles(prepared: PreparedStack): string[] {
  const dir = join(prepared.renderDir, "1-manifest");
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

const deploymentFile = (name: string) => `apps_v1-deployment-spark-${name}.yaml`;

async function withPg<T>(
  backends: LocalBackendsInfo,
  database: string,
  work: (client: PgClient) => Promise<T>,
): Promise<T> {
  const client = new PgClient({
    host: backends.postgres.host,
    port: backends.postgres.port,
    user: "postgres",
    password: backends.postgres.password,
    database,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

interface DatabaseFacts {
  owner: string | null;
  roleCanLogin: boolean | null;
  publicConnect: boolean | null;
}

async function databaseFacts(backends: LocalBackendsInfo, name: string): Promise<DatabaseFacts> {
  return withPg(backends, "postgres", async (client) => {
    const db = await client.query<{ owner: string; public_connect: boolean }>(
      `select pg_get_userbyid(datdba) as owner,
              has_database_privilege('public', datname, 'CONNECT') as public_connect
         from pg_database where datname = $1`,
      [name],
    );
    const role = await client.query<{ rolcanlogin: boolean }>(
      "select rolcanlogin from pg_roles where rolname = $1",
      [name],
    );
    return {
      owner: db.rows[0]?.owner ?? null,
      publicConnect: db.rows[0]?.public_connect ?? null,
      roleCanLogin: role.rows[0]?.rolcanlogin ?? null,
    };
  });
}

function minio(backends: LocalBackendsInfo): MinioClient {
  const url = new URL(backends.objectStore.endpoint);
  return new MinioClient({
    endPoint: url.hostname,
    port: Number(url.port),
    useSSL: url.protocol === "https:",
    accessKey: backends.objectStore.accessKey,
    secretKey: backends.objectStore.secretKey,
    region: "us-east-1",
  });
}

async function markerExists(backends: LocalBackendsInfo, key: string): Promise<boolean> {
  try {
    await minio(backends).statObject(BUCKET, key);
    return true;
  } catch (error) {
    // Only "not there" means false; any other failure must surface as itself.
    const code = (error as { code?: string }).code;
    if (code === "NotFound" || code === "NoSuchKey") return false;
    throw error;
  }
}

/** Only `same` in an update's resource changes. */
function onlySame(changes: Record<string, number> | undefined): boolean {
  return Object.keys(changes ?? {}).every((op) => op === "same");
}

describe("real engine: preview, up, consumer, decommission, destroy (offline backends)", function () {
  this.timeout(10 * 60 * 1000);
  let dev: PreparedStack;
  let backends: LocalBackendsInfo;
  const created: { stack: Stack; dir: string }[] = [];

  before(async function () {
    const tools = await toolchain();
    const missing = [
      ...(tools.cli ? [] : ["pulumi CLI"]),
      ...(tools.plugins.includes("kubernetes") ? [] : ["pulumi-resource-kubernetes"]),
      ...(tools.minioServer ? [] : ["MinIO server"]),
    ];
    if (missing.length) {
      console.log(
        `  SKIPPED: toolchain binaries absent (${missing.join(", ")}); build them with scripts/toolchain.sh all`,
      );
      this.skip();
    }
    dev = await preparePlatformStack({ stackName: DEV, configFrom: "dev", offlineBackends: true });
    created.push({ stack: dev.stack, dir: dev.workspaceDir });
    backends = dev.backends!;
    // Databases and markers have fixed names and are retained on delete: drop what an earlier
    // run (or a local `npm run up -- --stack dev`) left behind, so this run proves creation.
    await withPg(backends, "postgres", async (client) => {
      for (const name of Object.values(DATABASES)) {
        await client.query(`drop database if exists ${name} with (force)`);
        await client.query(`drop role if exists ${name}`);
      }
    });
    const store = minio(backends);
    if (await store.bucketExists(BUCKET)) await store.removeObjects(BUCKET, MARKERS);
  });

  after(async function () {
    for (const { stack, dir } of created.reverse()) {
      try {
        await stack.destroy({ onOutput: output });
        await stack.workspace.removeStack(stack.name);
        rmSync(dir, { recursive: true, force: true });
      } catch (error) {
        console.log(`  cleanup of ${stack.name} failed: ${(error as Error).message}`);
      }
    }
  });

  it("previews dev with the policy pack, listing exactly the resources of a mock evaluation", async () => {
    const engine = await previewUrns(dev, join(__dirname, "..", "..", "policy"));
    const mock = await mockUrns(dev);
    expectSameResources(engine, mock);
  });

  it("previews prod, listing exactly the resources of a mock evaluation", async () => {
    const prod = await preparePlatformStack({
      stackName: PROD,
      configFrom: "prod",
      offlineBackends: true,
    });
    created.push({ stack: prod.stack, dir: prod.workspaceDir });
    const engine = await previewUrns(prod);
    const mock = await mockUrns(prod);
    expectSameResources(engine, mock);
  });

  it("up dev: renders the manifests, creates databases, roles and prefix markers for real", async () => {
    const result = await dev.stack.up({ onOutput: output });
    expect(result.summary.result).to.equal("succeeded");
    const files = renderedFiles(dev);
    for (const name of ["spark-35-master", "spark-35-worker", "spark-41-connect"]) {
      expect(files).to.include(deploymentFile(name));
    }
    for (const [release, database] of Object.entries(DATABASES)) {
      expect(await databaseFacts(backends, database), release).to.deep.equal({
        owner: database,
        roleCanLogin: true,
        publicConnect: false,
      });
    }
    for (const key of MARKERS) expect(await markerExists(backends, key), key).to.equal(true);
  });

  it("a second up changes nothing", async () => {
    const result = await dev.stack.up({ onOutput: output });
    const changes = result.summary.resourceChanges;
    expect(onlySame(changes), JSON.stringify(changes)).to.equal(true);
    expect(changes?.["same"]).to.be.greaterThan(50);
  });

  it("the example consumer reads the platform's job routing through a real StackReference", async () => {
    const consumer = await prepareConsumerStack(DEV, [
      "daily-sales-rollup",
      "clickstream-sessionize",
    ]);
    created.push({ stack: consumer.stack, dir: consumer.workspaceDir });
    const result = await consumer.stack.up({ onOutput: output });
    const connections = result.outputs["sparkConnections"]?.value as Record<
      string,
      { uri: string; sparkVersion: string; podNamespace: string; podLabels: object }
    >;
    const platform = await dev.stack.outputs();
    const routing = platform["jobRouting"]?.value as Record<string, { connectionUrl: string }>;
    expect(connections["daily-sales-rollup"]).to.deep.include({
      uri: "spark://spark-35-master.spark.svc:7077",
      sparkVersion: "3.5.7",
    });
    expect(connections["clickstream-sessionize"]?.uri).to.equal(
      routing["clickstream-sessionize"]?.connectionUrl,
    );
    expect(connections["clickstream-sessionize"]?.uri).to.match(/^sc:\/\/spark-41-connect\./);
    // Its task pods run in a namespace the platform grants, labelled for each job's release.
    expect(connections["clickstream-sessionize"]).to.deep.include({
      podNamespace: "airflow",
      podLabels: { "spark-platform.io/client-of": "spark-41" },
    });
  });

  it("decommission of spark-35 removes its workloads and keeps its data; rollback brings them back", async () => {
    await withPg(backends, DATABASES["spark-35"], async (client) => {
      await client.query(`create table ${PROBE_TABLE} (id int)`);
      await client.query(`insert into ${PROBE_TABLE} values (35)`);
    });
    const releases = dev.values["releases"] as { name: string; decommissioned?: boolean }[];
    const jobs = dev.values["jobs"] as { id: string; release: string }[];
    const decommissioned = await preparePlatformStack({
      stackName: DEV,
      configFrom: "dev",
      offlineBackends: true,
      overrides: {
        releases: releases.map((r) => (r.name === "spark-35" ? { ...r, decommissioned: true } : r)),
        jobs: jobs.map((j) => (j.release === "spark-35" ? { ...j, release: "spark-41" } : j)),
      },
    });
    const down = await decommissioned.stack.up({ onOutput: output });
    expect(down.summary.result).to.equal("succeeded");
    const after = renderedFiles(dev);
    expect(after.filter((f) => f.startsWith("apps_v1-deployment-spark-spark-35"))).to.deep.equal(
      [],
    );
    expect(after).to.include(deploymentFile("spark-41-connect"));
    expect(await databaseFacts(backends, DATABASES["spark-35"])).to.deep.include({
      owner: DATABASES["spark-35"],
      roleCanLogin: true,
    });
    const rows = () =>
      withPg(backends, DATABASES["spark-35"], (c) => c.query(`select id from ${PROBE_TABLE}`));
    expect((await rows()).rows).to.deep.equal([{ id: 35 }]);
    expect(await markerExists(backends, MARKERS[0]!)).to.equal(true);

    const restored = await preparePlatformStack({
      stackName: DEV,
      configFrom: "dev",
      offlineBackends: true,
    });
    const up = await restored.stack.up({ onOutput: output });
    expect(up.summary.result).to.equal("succeeded");
    expect(renderedFiles(dev)).to.include.members([
      deploymentFile("spark-35-master"),
      deploymentFile("spark-35-worker"),
    ]);
    expect((await rows()).rows).to.deep.equal([{ id: 35 }]);
  });

  it("destroy removes the Kubernetes objects and retains databases, roles, markers and the client namespaces it created", async () => {
    // The consumer reads the platform: it goes first.
    const consumer = created.find((c) => c.stack.name === DEV && c.dir.endsWith(".consumer"));
    if (consumer) await consumer.stack.destroy({ onOutput: output });
    const result = await dev.stack.destroy({ onOutput: output });
    expect(result.summary.result).to.equal("succeeded");
    // dev creates its client namespaces (createNamespace) and keeps them: teams' workloads
    // live there. Everything else the stack rendered is gone.
    expect(renderedFiles(dev)).to.deep.equal([
      "v1-namespace-default-airflow.yaml",
      "v1-namespace-default-team-data-science.yaml",
      "v1-namespace-default-team-pipelines.yaml",
    ]);
    for (const database of Object.values(DATABASES)) {
      expect(await databaseFacts(backends, database), database).to.deep.equal({
        owner: database,
        roleCanLogin: true,
        publicConnect: false,
      });
    }
    for (const key of MARKERS) expect(await markerExists(backends, key), key).to.equal(true);
  });
});
