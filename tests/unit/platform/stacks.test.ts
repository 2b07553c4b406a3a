import { expect } from "chai";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { IService } from "kubernetes-models/v1/Service";
import { parseSparkProperties, RELEASE_LABEL } from "../../../lib/kube/objects";
import { placedForClients } from "../../../lib/verify/objects";
import { ofKind, renderStack, type RenderedStack } from "../../support/stacks";
import { expectSourcesTrue } from "../../support/sources";

/** spark-defaults.conf of a ConfigMap as a map. */
function properties(
  configMap: IConfigMap | undefined,
  file = "spark-defaults.conf",
): Record<string, string> {
  return parseSparkProperties(configMap?.data?.[file] ?? "");
}

const named = <T extends { metadata?: { name?: string } }>(
  items: T[],
  name: string,
): T | undefined => items.find((i) => i.metadata?.name === name);

/** The isolation table of the guide, as data: stack -> release -> what it must own. */
const ISOLATION_TABLE = {
  dev: {
    "spark-35": {
      namespace: "spark",
      database: "metastore_spark35",
      events: "s3a://spark-logs/3.5/events",
    },
    "spark-41": {
      namespace: "spark",
      database: "metastore_spark41",
      events: "s3a://spark-logs/4.1/events",
    },
  },
  prod: {
    "spark-35": {
      namespace: "spark-35",
      database: "metastore_spark35",
      events: "s3a://spark-logs/3.5/events",
    },
    "spark-41": {
      namespace: "spark-41",
      database: "metastore_spark41",
      events: "s3a://spark-logs/4.1/events",
    },
  },
} as const;

for (const stack of ["dev", "prod"] as const) {
  describe(`stack ${stack}: the isolation table holds`, () => {
    let rendered: RenderedStack;
    before(async () => {
      rendered = await renderStack(stack);
    });

    for (const [release, expected] of Object.entries(ISOLATION_TABLE[stack])) {
      it(`${release}: namespace ${expected.namespace}, database ${expected.database}, events ${expected.events}`, () => {
        const configMaps = ofKind<IConfigMap>(rendered.manifests, "ConfigMap");
        const writers = properties(named(configMaps, `${release}-spark-defaults`));
        const reader = properties(named(configMaps, `${release}-history-conf`));
        const hiveSite =
          named(configMaps, `${release}-metastore-conf`)?.data?.["hive-site.xml"] ?? "";

        expect(writers["spark.eventLog.dir"]).to.equal(expected.events);
        expect(reader["spark.history.fs.logDirectory"]).to.equal(expected.events);
        expect(writers["spark.hadoop.hive.metastore.uris"]).to.equal(
          `thrift://${release}-metastore.${expected.namespace}.svc:9083`,
        );
        expect(hiveSite).to.contain(`/${expected.database}?sslmode=`);

        const database = rendered.resources.find(
          (r) =>
            r.type === "postgresql:index/database:Database" && r.name === `${release}-metastore-db`,
        );
        expect(database?.inputs["name"]).to.equal(expected.database);
        expect(database?.inputs["owner"]).to.equal(expected.database);

        const labelled = rendered.manifests.filter(
          (m) => m.kind !== "Namespace" && m.metadata?.labels?.[RELEASE_LABEL] === release,
        );
        // A release's client Secrets are its objects in its clients' namespaces.
        const forClients = labelled.filter(placedForClients);
        const configured = rendered.config.releases.find((r) => r.name === release)!;
        const clientSecret =
          configured.mode === "standalone"
            ? `${release}-spark-client`
            : `${release}-connect-client`;
        expect(
          forClients.map((m) => `${m.kind}/${m.metadata?.namespace}/${m.metadata?.name}`),
        ).to.have.members(
          configured.clients.map((grant) => `Secret/${grant.namespace}/${clientSecret}`),
        );
        const own = labelled.filter((m) => !placedForClients(m));
        // The admission policies (confining the release's account, admitting its clients)
        // are cluster-scoped: no namespace, but named after it, so two stacks on one
        // cluster never collide.
        const clusterScoped = own.filter((m) => m.kind.startsWith("ValidatingAdmissionPolicy"));
        expect(clusterScoped.map((m) => `${m.kind}/${m.metadata?.name}`)).to.have.members([
          `ValidatingAdmissionPolicy/${release}-own-objects.${expected.namespace}`,
          `ValidatingAdmissionPolicyBinding/${release}-own-objects.${expected.namespace}`,
          `ValidatingAdmissionPolicy/${release}-clients.${expected.namespace}`,
          `ValidatingAdmissionPolicyBinding/${release}-clients.${expected.namespace}`,
        ]);
        for (const object of clusterScoped) expect(object.metadata?.namespace).to.equal(undefined);
        const objects = own.filter((m) => !clusterScoped.includes(m));
        expect(objects.length).to.be.greaterThan(10);
        for (const object of objects) {
          expect(object.metadata?.namespace, `${object.kind}/${object.metadata?.name}`).to.equal(
            expected.namespace,
          );
        }
      });
    }

    it("no two releases share a database, prefix, ServiceAccount or object name", () => {
      const releases = Object.keys(ISOLATION_TABLE[stack]);
      const accounts = ofKind(rendered.manifests, "ServiceAccount").map((m) => m.metadata?.name);
      expect(accounts).to.have.members(releases.map((r) => `${r}-spark`));
      const keys = rendered.manifests.map(
        (m) => `${m.kind}/${m.metadata?.namespace ?? ""}/${m.metadata?.name}`,
      );
      expect(new Set(keys).size).to.equal(keys.length);
      const markers = rendered.resources
        .filter((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2")
        .map((r) => r.inputs["key"]);
      expect(markers).to.have.members(["3.5/events/.keep", "4.1/events/.keep"]);
    });

    it("every pod of a release runs as that release's ServiceAccount", () => {
      for (const deployment of ofKind<IDeployment>(rendered.manifests, "Deployment")) {
        const release = deployment.metadata?.labels?.[RELEASE_LABEL];
        expect(
          deployment.spec?.template.spec?.serviceAccountName,
          deployment.metadata?.name,
        ).to.equal(`${release}-spark`);
      }
    });

    it("Services select by release, never by app name alone", () => {
      for (const service of ofKind<IService>(rendered.manifests, "Service")) {
        const release = service.metadata?.labels?.[RELEASE_LABEL];
        expect(service.spec?.selector?.[RELEASE_LABEL], service.metadata?.name).to.equal(release);
      }
    });

    it("RBAC: only the Connect release may create pods, and only in its namespace", () => {
      const roles = ofKind<IRole>(rendered.manifests, "Role");
      expect(roles.map((r) => r.metadata?.name)).to.deep.equal(["spark-41-executor-manager"]);
      expect(roles[0]!.rules?.[0]?.resources).to.have.members([
        "pods",
        "services",
        "configmaps",
        "persistentvolumeclaims",
      ]);
      const bindings = ofKind<IRoleBinding>(rendered.manifests, "RoleBinding");
      expect(bindings).to.have.length(1);
      expect(bindings[0]!.subjects).to.deep.equal([
        {
          kind: "ServiceAccount",
          name: "spark-41-spark",
          namespace: ISOLATION_TABLE[stack]["spark-41"].namespace,
        },
      ]);
      const accounts = ofKind<{
        metadata?: { name?: string };
        automountServiceAccountToken?: boolean;
      }>(rendered.manifests, "ServiceAccount");
      expect(named(accounts, "spark-35-spark")?.automountServiceAccountToken).to.equal(false);
      expect(named(accounts, "spark-41-spark")?.automountServiceAccountToken).to.equal(true);
    });

    it("every object names the file and function that built it", () => {
      expectSourcesTrue(rendered.manifests);
    });

    it("names are release-prefixed exactly once, with no auto-suffix", () => {
      for (const manifest of rendered.manifests) {
        const release = manifest.metadata?.labels?.[RELEASE_LABEL];
        const name = manifest.metadata?.name ?? "";
        if (manifest.kind === "Namespace") continue;
        expect(name.startsWith(`${release}-`), `${manifest.kind}/${name}`).to.equal(true);
        expect(name, `${manifest.kind}/${name}`).not.to.contain(`${release}-${release}`);
        expect(name.length).to.be.at.most(63);
      }
    });
  });
}
