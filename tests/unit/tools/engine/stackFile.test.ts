import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { PROJECT_ROOT, stackFilePath } from "../../../../tools/cli/stackFiles";
import {
  availablePlugins,
  consumerStackYaml,
  decideBackends,
  offlineOverrides,
  platformValues,
  projectYaml,
  requiredPlugins,
  workspaceStackYaml,
} from "../../../../tools/engine/stackFile";
import { isEngineOwned, typeChainOf, urnOf } from "../../../../tools/engine/urns";
import { rawConfigFromStackYaml } from "../../../../lib/config/sources";
import { parsePlatformConfig } from "../../../../lib/config/parse";

const committedDev = readFileSync(stackFilePath("dev"), "utf8");
const backends = {
  postgresHost: "127.0.0.1",
  postgresPort: 55432,
  objectStoreEndpoint: "http://127.0.0.1:9000",
  renderDir: "/cache/workspaces/dev/rendered",
};

interface StackDoc {
  encryptionsalt?: string;
  config: Record<string, unknown>;
}

describe("engine harness: workspace stack file", () => {
  const offline = workspaceStackYaml({
    committed: committedDev,
    overrides: offlineOverrides(backends),
    dropSecrets: true,
  });
  const doc = parseYaml(offline) as StackDoc;

  it("points postgres and the object store at the local backends through the dynamic providers", () => {
    expect(doc.config["spark-platform:postgres"]).to.deep.equal({
      host: "127.0.0.1",
      port: 55432,
      adminUser: "postgres",
      sslmode: "disable",
      provider: "dynamic",
    });
    expect(doc.config["spark-platform:objectStore"]).to.deep.equal({
      endpoint: "http://127.0.0.1:9000",
      bucket: "spark-logs",
      region: "us-east-1",
      provider: "dynamic",
    });
    expect(doc.config["spark-platform:kubernetes"]).to.deep.equal({
      renderYamlToDirectory: "/cache/workspaces/dev/rendered",
    });
  });

  it("drops the committed placeholder secrets (the harness sets its own) and keeps the rest", () => {
    for (const key of ["postgresAdminPassword", "objectStoreAccessKey", "objectStoreSecretKey"]) {
      expect(doc.config).not.to.have.property(`spark-platform:${key}`);
    }
    const committed = parseYaml(committedDev) as StackDoc;
    expect(doc.config["spark-platform:releases"]).to.deep.equal(
      committed.config["spark-platform:releases"],
    );
    expect(doc.config["spark-platform:jobs"]).to.deep.equal(
      committed.config["spark-platform:jobs"],
    );
  });

  it("yields a configuration the platform accepts (secrets present as the engine will set them)", () => {
    const read = rawConfigFromStackYaml(offline);
    const secretKeys = ["postgresAdminPassword", "objectStoreAccessKey", "objectStoreSecretKey"];
    const raw = {
      ...read,
      values: { ...read.values, ...Object.fromEntries(secretKeys.map((k) => [k, "[secret]"])) },
      secretKeys: new Set([...read.secretKeys, ...secretKeys]),
    };
    const result = parsePlatformConfig(raw);
    expect(result.ok, JSON.stringify(!result.ok && result.issues)).to.equal(true);
  });

  it("keeps the encryption salt of the earlier workspace file, never the committed one when dropping secrets", () => {
    const committedWithSalt = `encryptionsalt: v1:committed\n${committedDev}`;
    const fresh = parseYaml(
      workspaceStackYaml({ committed: committedWithSalt, dropSecrets: true }),
    ) as StackDoc;
    expect(fresh.encryptionsalt).to.equal(undefined);
    const rerun = parseYaml(
      workspaceStackYaml({
        committed: committedWithSalt,
        previous: "encryptionsalt: v1:workspace\nconfig: {}\n",
        dropSecrets: true,
      }),
    ) as StackDoc;
    expect(rerun.encryptionsalt).to.equal("v1:workspace");
    const ownBackends = parseYaml(
      workspaceStackYaml({ committed: committedWithSalt, dropSecrets: false }),
    ) as StackDoc;
    expect(ownBackends.encryptionsalt).to.equal("v1:committed");
    expect(ownBackends.config["spark-platform:postgresAdminPassword"]).to.deep.equal({
      secure: "set-with-pulumi-config-set-secret",
    });
  });

  it("applies extra overrides last (e.g. a decommissioned release)", () => {
    const values = platformValues(
      workspaceStackYaml({
        committed: committedDev,
        overrides: { ...offlineOverrides(backends), jobs: [] },
        dropSecrets: true,
      }),
    );
    expect(values["jobs"]).to.deep.equal([]);
    expect(values).not.to.have.property("postgresAdminPassword");
  });

  it("writes a project file whose main is the given relative repository path, run as the repository's", () => {
    const committed = readFileSync(join(PROJECT_ROOT, "Pulumi.yaml"), "utf8");
    const project = parseYaml(projectYaml("spark-platform", "../../../repo", "d", committed)) as {
      name: string;
      main: string;
      runtime: unknown;
    };
    expect(project.name).to.equal("spark-platform");
    expect(project.main).to.equal("../../../repo");
    expect(project.runtime).to.deep.equal((parseYaml(committed) as { runtime: unknown }).runtime);
    expect(() => projectYaml("p", ".", "d", "name: p\n")).to.throw(/no runtime/);
  });

  it("writes the consumer's stack file with the platform stack, jobs and pod namespace, keeping its salt", () => {
    const doc = parseYaml(
      consumerStackYaml(
        "c",
        "organization/spark-platform/dev",
        ["a", "b"],
        "airflow",
        "encryptionsalt: s\n",
      ),
    ) as StackDoc;
    expect(doc.encryptionsalt).to.equal("s");
    expect(doc.config).to.deep.equal({
      "c:platformStack": "organization/spark-platform/dev",
      "c:jobs": ["a", "b"],
      "c:podNamespace": "airflow",
    });
  });
});

describe("engine harness: which backends", () => {
  it("derives the plugins a stack needs from its providers", () => {
    expect(requiredPlugins(platformValues(committedDev))).to.deep.equal([
      "kubernetes",
      "postgresql",
      "aws",
    ]);
    expect(
      requiredPlugins({ postgres: { provider: "dynamic" }, objectStore: { provider: "minio" } }),
    ).to.deep.equal(["kubernetes", "minio"]);
  });

  it("reads the plugin names scripts/toolchain.sh --print-plugins lists", () => {
    expect(
      availablePlugins("resource kubernetes 4.25.0 /c/pulumi-resource-kubernetes\n\n"),
    ).to.deep.equal(["kubernetes"]);
  });

  it("defaults to offline backends when a plugin is missing, naming the replaced providers", () => {
    const decision = decideBackends(undefined, ["kubernetes", "postgresql", "aws"], ["kubernetes"]);
    expect(decision.offline).to.equal(true);
    expect(decision.error).to.equal(undefined);
    const text = decision.notes.join("\n");
    expect(text).to.include("not buildable here");
    expect(text).to.include("postgresql -> local PostgreSQL");
    expect(text).to.include("aws (S3) -> local MinIO");
  });

  it("uses the stack's own backends when every plugin is there, unless asked otherwise", () => {
    const all = ["kubernetes", "postgresql", "aws"];
    expect(decideBackends(undefined, all, all).offline).to.equal(false);
    expect(decideBackends(true, all, all).offline).to.equal(true);
  });

  it("refuses --no-offline-backends without the plugins and any run without kubernetes", () => {
    expect(decideBackends(false, ["kubernetes", "aws"], ["kubernetes"]).error).to.include("aws");
    expect(decideBackends(true, ["kubernetes"], []).error).to.include("kubernetes");
  });
});

describe("engine harness: URNs", () => {
  it("computes URNs the way the engine does (root Stack left out of the type chain)", () => {
    const stackUrn = "urn:pulumi:dev::spark-platform::pulumi:pulumi:Stack::spark-platform-dev";
    const component = urnOf(
      { type: "spark-platform:spark:SparkRelease", name: "spark-35-spark", parent: stackUrn },
      "dev",
      "spark-platform",
    );
    expect(component).to.equal(
      "urn:pulumi:dev::spark-platform::spark-platform:spark:SparkRelease::spark-35-spark",
    );
    expect(
      urnOf(
        { type: "kubernetes:apps/v1:Deployment", name: "spark-35-master", parent: component },
        "dev",
        "spark-platform",
      ),
    ).to.equal(
      "urn:pulumi:dev::spark-platform::spark-platform:spark:SparkRelease$kubernetes:apps/v1:Deployment::spark-35-master",
    );
    expect(typeChainOf(stackUrn)).to.equal("pulumi:pulumi:Stack");
    expect(() => typeChainOf("spark-35")).to.throw("not a Pulumi URN");
  });

  it("tells engine-owned resources (Stack, default providers) from the program's", () => {
    expect(isEngineOwned("urn:pulumi:d::p::pulumi:pulumi:Stack::p-d")).to.equal(true);
    expect(isEngineOwned("urn:pulumi:d::p::pulumi:providers:kubernetes::default_4_25_0")).to.equal(
      true,
    );
    expect(
      isEngineOwned("urn:pulumi:d::p::pulumi:providers:kubernetes::spark-platform-kubernetes"),
    ).to.equal(false);
  });
});
