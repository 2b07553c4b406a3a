import { expect } from "chai";
import { npmDependencyVersion, toolchainLayout } from "../../../../tools/toolchain/layout";

const PACKAGE_JSON = JSON.stringify({
  dependencies: { "@pulumi/kubernetes": "4.25.0", "@pulumi/postgresql": "^3.18.1" },
  devDependencies: { "@pulumi/kubernetes": "9.9.9", "@pulumi/minio": "~0.17.1" },
});

describe("toolchain: layout", () => {
  describe("provider versions from package.json", () => {
    it("takes dependencies over devDependencies and strips a range marker", () => {
      expect(npmDependencyVersion(PACKAGE_JSON, "@pulumi/kubernetes", "x")).to.equal("4.25.0");
      expect(npmDependencyVersion(PACKAGE_JSON, "@pulumi/postgresql", "x")).to.equal("3.18.1");
      expect(npmDependencyVersion(PACKAGE_JSON, "@pulumi/minio", "x")).to.equal("0.17.1");
      expect(
        npmDependencyVersion(JSON.stringify({ dependencies: { p: "=1.2.3" } }), "p", "x"),
      ).to.equal("1.2.3");
    });

    it("falls back when the package is absent or package.json unreadable", () => {
      expect(npmDependencyVersion(PACKAGE_JSON, "@pulumi/aws", "7.0.0")).to.equal("7.0.0");
      expect(npmDependencyVersion(undefined, "@pulumi/kubernetes", "4.25.0")).to.equal("4.25.0");
      expect(npmDependencyVersion("{ not json", "@pulumi/kubernetes", "4.25.0")).to.equal("4.25.0");
    });
  });

  describe("cache directories (the names existing caches were built under)", () => {
    const env = { HOME: "/home/u", SPARK_PLATFORM_CACHE_DIR: "/cache" };

    it("keys each binary's directory by its version", () => {
      const l = toolchainLayout(env, PACKAGE_JSON);
      expect(l.dir).to.equal("/cache/toolchain");
      expect(l.workDir).to.equal("/cache/toolchain/work");
      expect(l.cliDir).to.equal("/cache/toolchain/pulumi-v3.259.0");
      expect(l.langhostDir).to.equal("/cache/toolchain/pulumi-language-nodejs-v3.68.0-runplugin1");
      expect(l.k8sDir).to.equal("/cache/toolchain/pulumi-resource-kubernetes-v4.25.0");
      expect(l.postgresqlDir).to.equal("/cache/toolchain/pulumi-resource-postgresql-v3.18.1");
      expect(l.minioProviderDir).to.equal("/cache/toolchain/pulumi-resource-minio-v0.17.1");
      expect(l.minioServerDir).to.equal(
        "/cache/toolchain/minio-v0.0.0-20210516060309-ce3d9dc9faa5-reflect2-v1.0.2",
      );
    });

    it("puts the toolchain where SPARK_PLATFORM_TOOLCHAIN_DIR says, else under the cache root", () => {
      expect(toolchainLayout({ ...env, SPARK_PLATFORM_TOOLCHAIN_DIR: "/t" }).cliDir).to.equal(
        "/t/pulumi-v3.259.0",
      );
      // An empty variable counts as unset, as ${VAR:-default} does in the shell.
      expect(
        toolchainLayout({
          HOME: "/home/u",
          SPARK_PLATFORM_CACHE_DIR: "",
          SPARK_PLATFORM_TOOLCHAIN_DIR: "",
        }).dir,
      ).to.equal("/home/u/.cache/spark-platform/toolchain");
    });

    it("lets the environment override a provider's version", () => {
      const l = toolchainLayout(
        {
          ...env,
          SPARK_PLATFORM_K8S_VERSION: "4.26.0",
          SPARK_PLATFORM_POSTGRESQL_VERSION: "",
          SPARK_PLATFORM_MINIO_PROVIDER_VERSION: "0.18.0",
        },
        PACKAGE_JSON,
      );
      expect([l.k8sVersion, l.postgresqlVersion, l.minioProviderVersion]).to.deep.equal([
        "4.26.0",
        "3.18.1",
        "0.18.0",
      ]);
      expect(l.k8sDir).to.equal("/cache/toolchain/pulumi-resource-kubernetes-v4.26.0");
    });
  });
});
