import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { deployPlatform, type Platform } from "../../../platform/platform";
import { PLACEHOLDER_SECRETS } from "../../../tools/cli/stackFiles";
import { resolve } from "../../../tools/render/evaluate";
import { RENDER_DIGEST_KEY, renderMocks } from "../../../tools/render/mocks";
import { baseValues, parseValid, rawConfig } from "../../support/stacks";

/** The Pulumi name of a resource, from its URN (`…::<type>::<name>`). */
const nameOf = async (resource: pulumi.Resource | undefined) =>
  resource ? (await resolve(resource.urn)).split("::").pop() : undefined;

describe("deployPlatform: components expose their children as typed properties", () => {
  let platform: Platform;

  before(async () => {
    await pulumi.runtime.setMocks(
      renderMocks(RENDER_DIGEST_KEY),
      "spark-platform",
      "typed-children",
      false,
    );
    platform = deployPlatform(parseValid(rawConfig(baseValues())), PLACEHOLDER_SECRETS);
  });

  it("a standalone release: master, workers and their budget, no Connect objects", async () => {
    const spark = platform.releases["spark-35"]!.spark!;
    expect(spark.serviceAccount).to.be.instanceOf(k8s.core.v1.ServiceAccount);
    expect(await nameOf(spark.serviceAccount)).to.equal("spark-35-spark");
    expect(spark.master).to.be.instanceOf(k8s.apps.v1.Deployment);
    expect(await nameOf(spark.master)).to.equal("spark-35-master");
    expect(await nameOf(spark.masterService)).to.equal("spark-35-master");
    expect(await nameOf(spark.workers)).to.equal("spark-35-worker");
    expect(spark.workersDisruptionBudget).to.be.instanceOf(k8s.policy.v1.PodDisruptionBudget);
    for (const connectOnly of [
      spark.connectServer,
      spark.connectService,
      spark.executorPodTemplate,
      spark.executorRole,
      spark.executorRoleBinding,
    ])
      expect(connectOnly).to.equal(undefined);
  });

  it("a Connect release: server, executor template and RBAC, no master or workers", async () => {
    const spark = platform.releases["spark-41"]!.spark!;
    expect(spark.connectServer).to.be.instanceOf(k8s.apps.v1.Deployment);
    expect(await nameOf(spark.connectServer)).to.equal("spark-41-connect");
    expect(await nameOf(spark.executorPodTemplate)).to.equal("spark-41-executor-template");
    expect(spark.executorRole).to.be.instanceOf(k8s.rbac.v1.Role);
    expect(await nameOf(spark.executorRoleBinding)).to.equal("spark-41-executor-manager");
    expect(spark.master).to.equal(undefined);
    expect(spark.workers).to.equal(undefined);
    expect(await nameOf(spark.ownObjectsPolicy)).to.equal("spark-41-own-objects.spark");
  });

  it("NetworkPolicies by purpose: the Connect release alone reaches the Kubernetes API", async () => {
    const standalone = platform.releases["spark-35"]!.spark!.networkPolicies;
    const connect = platform.releases["spark-41"]!.spark!.networkPolicies;
    expect(Object.keys(standalone)).to.include.members(["default-deny", "allow-postgres"]);
    expect(standalone["allow-kube-api"]).to.equal(undefined);
    expect(connect["allow-kube-api"]).to.be.instanceOf(k8s.networking.v1.NetworkPolicy);
    expect(await nameOf(connect["default-deny"])).to.equal("spark-41-default-deny");
  });

  it("metastore and History Server: data resources, and the workloads that use them", async () => {
    const { metastore, history } = platform.releases["spark-35"]!;
    expect(await nameOf(metastore!.role)).to.equal("spark-35-metastore-role");
    expect(await nameOf(metastore!.database)).to.equal("spark-35-metastore-db");
    expect(await Promise.all(metastore!.grants.map(nameOf))).to.deep.equal([
      "spark-35-metastore-revoke-public",
    ]);
    expect(metastore!.schemaInit).to.be.instanceOf(k8s.batch.v1.Job);
    expect(await nameOf(metastore!.metastore)).to.equal("spark-35-metastore");
    expect(await nameOf(history.marker)).to.equal("spark-35-event-log-prefix");
    expect(history.historyServer).to.be.instanceOf(k8s.apps.v1.Deployment);
    expect(await nameOf(history.historyServer)).to.equal("spark-35-history");
  });
});

describe("deployPlatform: monitoring's PodMonitors and policy as typed properties", () => {
  it("none without monitoring; with it, a PodMonitor per workload kind and allow-metrics", async () => {
    await pulumi.runtime.setMocks(
      renderMocks(RENDER_DIGEST_KEY),
      "spark-platform",
      "typed-children-monitoring",
      false,
    );
    const plain = deployPlatform(parseValid(rawConfig(baseValues())), PLACEHOLDER_SECRETS);
    expect(plain.releases["spark-35"]!.spark!.podMonitors).to.deep.equal({});
    expect(plain.releases["spark-35"]!.spark!.networkPolicies["allow-metrics"]).to.equal(undefined);

    await pulumi.runtime.setMocks(
      renderMocks(RENDER_DIGEST_KEY),
      "spark-platform",
      "typed-children-monitored",
      false,
    );
    const monitored = deployPlatform(
      parseValid(rawConfig({ ...baseValues(), monitoring: { namespace: "monitoring" } })),
      PLACEHOLDER_SECRETS,
    );
    const standalone = monitored.releases["spark-35"]!.spark!;
    const connect = monitored.releases["spark-41"]!.spark!;
    expect(standalone.podMonitors.master).to.be.instanceOf(k8s.apiextensions.CustomResource);
    expect(await nameOf(standalone.podMonitors.master)).to.equal("spark-35-master");
    expect(await nameOf(standalone.podMonitors.worker)).to.equal("spark-35-worker");
    expect(standalone.podMonitors.connect).to.equal(undefined);
    expect(Object.keys(connect.podMonitors)).to.deep.equal(["connect"]);
    expect(await nameOf(connect.podMonitors.connect)).to.equal("spark-41-connect");
    expect(connect.networkPolicies["allow-metrics"]).to.be.instanceOf(
      k8s.networking.v1.NetworkPolicy,
    );
    expect(await nameOf(standalone.networkPolicies["allow-metrics"])).to.equal(
      "spark-35-allow-metrics",
    );
  });
});
