import { expect } from "chai";
import { readFileSync } from "node:fs";
import { rawConfigFromStackYaml } from "../../../../../lib/config/sources";
import {
  namespaceFilesFirst,
  renderOverrides,
} from "../../../../../tools/bench/cluster/floorManifests";
import {
  clusterEnvFromExports,
  localClusterOverrides,
  parseExports,
} from "../../../../../tools/engine/localCluster";
import {
  composeOverrides,
  platformValues,
  workspaceStackYaml,
} from "../../../../../tools/engine/stackFile";
import { stackFilePath } from "../../../../../tools/cli/stackFiles";
import { parseValid } from "../../../../support/stacks";

const CLUSTER = clusterEnvFromExports(
  parseExports(
    [
      "export KUBECONFIG=/cache/admin.kubeconfig",
      "export PATH=/usr/bin",
      "export PGHOST=10.201.0.1",
      "export PGPORT=5432",
      "export PGPASSWORD=pg-secret",
      "export SPARK_PLATFORM_MINIO_ENDPOINT=http://10.201.0.1:9000",
      "export AWS_ACCESS_KEY_ID=access",
      "export AWS_SECRET_ACCESS_KEY=secret",
    ].join("\n"),
  ),
);

describe("cluster benchmark: the floor's manifests", () => {
  describe("the render stack's overrides", () => {
    const committedText = readFileSync(stackFilePath("local"), "utf8");
    const committed = platformValues(committedText);
    // What Pulumi.local.yaml sets under kubernetes (none of it a kubeconfig or a render dir).
    const committedKubernetes = (committed["kubernetes"] ?? {}) as Record<string, unknown>;

    it("survive the local cluster's override: rendered, no kubeconfig, backends still local", () => {
      const overrides = composeOverrides(
        localClusterOverrides(committed, CLUSTER),
        undefined,
        renderOverrides(committed, "/cache/bench/render-x"),
      );
      expect(overrides["kubernetes"]).to.deep.equal({
        ...committedKubernetes,
        renderYamlToDirectory: "/cache/bench/render-x",
      });
      expect(overrides["postgres"]).to.include({ adminHost: "10.201.0.1", adminPort: 5432 });

      const text = workspaceStackYaml({ committed: committedText, overrides, dropSecrets: true });
      const values = platformValues(text);
      expect(values["kubernetes"]).to.deep.equal({
        ...committedKubernetes,
        renderYamlToDirectory: "/cache/bench/render-x",
      });
      // The secrets are set apart (pulumi config set --secret); placeholders stand in.
      const read = rawConfigFromStackYaml(text);
      const secretKeys = ["postgresAdminPassword", "objectStoreAccessKey", "objectStoreSecretKey"];
      const config = parseValid({
        ...read,
        values: { ...read.values, ...Object.fromEntries(secretKeys.map((k) => [k, "[secret]"])) },
        secretKeys: new Set([...read.secretKeys, ...secretKeys]),
      });
      expect(config.kubernetes.renderYamlToDirectory).to.equal("/cache/bench/render-x");
      expect(config.kubernetes.kubeconfig).to.equal(undefined);
    });

    it("keep the committed kubernetes settings other than the kubeconfig", () => {
      expect(
        renderOverrides(
          { kubernetes: { context: "kind", kubeconfig: "/k", apiServerPort: 6443 } },
          "/d",
        ),
      ).to.deep.equal({
        kubernetes: { context: "kind", apiServerPort: 6443, renderYamlToDirectory: "/d" },
      });
    });

    it("without a caller's layer the local cluster's kubeconfig stays and nothing renders", () => {
      const overrides = composeOverrides(localClusterOverrides(committed, CLUSTER), undefined);
      expect(overrides["kubernetes"]).to.deep.equal({
        ...committedKubernetes,
        kubeconfig: "/cache/admin.kubeconfig",
      });
    });
  });

  it("puts the files that hold a Namespace first", () => {
    const split = namespaceFilesFirst([
      { path: "/r/1-manifest/apps-v1-deployment-spark-a.yaml", text: "kind: Deployment\n" },
      {
        path: "/r/1-manifest/v1-namespace-spark.yaml",
        text: "apiVersion: v1\nkind: Namespace\nmetadata: { name: spark }\n",
      },
      {
        path: "/r/1-manifest/multi.yaml",
        text: "kind: ConfigMap\nmetadata: { name: m, namespace: spark }\n---\nkind: Namespace\nmetadata: { name: spark }\n",
      },
      { path: "/r/0-crd/empty.yaml", text: "" },
    ]);
    expect(split.namespaces).to.deep.equal([
      "/r/1-manifest/multi.yaml",
      "/r/1-manifest/v1-namespace-spark.yaml",
    ]);
    expect(split.others).to.deep.equal([
      "/r/0-crd/empty.yaml",
      "/r/1-manifest/apps-v1-deployment-spark-a.yaml",
    ]);
    expect(split.foreign).to.deep.equal([]);
  });

  it("names the namespaces objects go to that the render does not create", () => {
    const split = namespaceFilesFirst([
      { path: "/r/ns.yaml", text: "kind: Namespace\nmetadata: { name: spark }\n" },
      { path: "/r/a.yaml", text: "kind: Service\nmetadata: { name: a, namespace: spark }\n" },
      { path: "/r/b.yaml", text: "kind: Service\nmetadata: { name: b, namespace: spark-infra }\n" },
      { path: "/r/c.yaml", text: "kind: ClusterRole\nmetadata: { name: c }\n" },
    ]);
    expect(split.foreign).to.deep.equal(["spark-infra"]);
  });
});
