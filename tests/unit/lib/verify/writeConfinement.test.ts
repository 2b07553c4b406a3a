import { expect } from "chai";
import type { KubeManifest } from "../../../../lib/kube/objects";
import { failures, type CheckResult } from "../../../../lib/verify/result";
import { verifyObjects } from "../../../../lib/verify/run";
import { clusterObjects } from "../../../../lib/verify/objects";
import {
  releaseWriteConfinement,
  writableResources,
} from "../../../../lib/verify/writeConfinement";
import { renderStack } from "../../../support/stacks";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

async function manifestsOf(stack: "dev" | "prod"): Promise<Loose[]> {
  return structuredClone((await renderStack(stack)).manifests) as Loose[];
}

/** The manifests as they were before the own-objects policies: the shared-namespace hole. */
const withoutPolicies = (manifests: Loose[]): Loose[] =>
  manifests.filter(
    (m) =>
      !String(m.kind).startsWith("ValidatingAdmissionPolicy") ||
      !String(m.metadata?.name).includes("-own-objects."),
  );

function find(manifests: Loose[], kind: string, name: string): Loose {
  const found = manifests.find((m) => m.kind === kind && m.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}

const rows = (manifests: readonly KubeManifest[]): CheckResult[] =>
  releaseWriteConfinement(clusterObjects(manifests));

/** The single write-confinement row of spark-41's account in dev. */
function connectRow(manifests: readonly KubeManifest[]): CheckResult {
  const found = rows(manifests).filter((r) => r.subject === "writes of spark/spark-41-spark");
  expect(found).to.have.length(1);
  return found[0]!;
}

/** What dev's spark-41 account can reach of spark-35 in the shared namespace. */
const DEV_EXPOSED = [
  "ConfigMap/spark/spark-35-history-conf",
  "ConfigMap/spark/spark-35-metastore-conf",
  "ConfigMap/spark/spark-35-spark-defaults",
  "Service/spark/spark-35-history",
  "Service/spark/spark-35-master",
  "Service/spark/spark-35-metastore",
  "PersistentVolumeClaim/spark/spark-35-master-recovery",
  "pods of Deployment/spark/spark-35-history",
  "pods of Deployment/spark/spark-35-master",
  "pods of Deployment/spark/spark-35-metastore",
  "pods of Deployment/spark/spark-35-worker",
  "pods of Job/spark/spark-35-metastore-schema-init",
];

describe("verifier: release writes confined to the release's own objects", () => {
  it("fails dev's shared namespace without admission policies, naming release, Role and exposed objects", async () => {
    const row = connectRow(withoutPolicies(await manifestsOf("dev")));
    expect(row.pass).to.equal(false);
    expect(row.check).to.equal("rbac-separation");
    expect(row.detail).to.match(
      /^release spark-41: ServiceAccount spark\/spark-41-spark may create, update, patch, delete, deletecollection pods, services, configmaps, persistentvolumeclaims in namespace spark through Role\/spark\/spark-41-executor-manager \(RoleBinding\/spark\/spark-41-executor-manager\), and no ValidatingAdmissionPolicy confines it to spark-platform.io\/release=spark-41; exposed objects of other releases: /,
    );
    const exposed = row.detail.split("exposed objects of other releases: ")[1]!.split(", ");
    expect(exposed).to.have.members(DEV_EXPOSED);
    // Its own objects are not "exposed", and Secrets are out of its Role's reach.
    expect(row.detail).to.not.match(/spark-41-(spark-defaults|connect|history)\b|Secret\//);
  });

  it("the whole verifier fails only that row on the old dev manifests", async () => {
    const failed = failures(
      verifyObjects(clusterObjects(withoutPolicies(await manifestsOf("dev")))),
    );
    expect(failed.map((r) => `${r.check} ${r.subject}`)).to.deep.equal([
      "rbac-separation writes of spark/spark-41-spark",
    ]);
  });

  it("passes the rendered dev stack: the policy confines the account", async () => {
    const row = connectRow(await manifestsOf("dev"));
    expect(row.pass, row.detail).to.equal(true);
    expect(row.detail).to.include(
      "confined to spark-platform.io/release=spark-41 by ValidatingAdmissionPolicy spark-41-own-objects.spark (binding spark-41-own-objects.spark); 12 objects of other releases in reach, all guarded",
    );
  });

  it("passes prod with or without the policy: no other release's objects in its namespace", async () => {
    const manifests = await manifestsOf("prod");
    const [withPolicy] = rows(manifests);
    expect(withPolicy!.pass).to.equal(true);
    expect(withPolicy!.detail).to.include("confined to spark-platform.io/release=spark-41");
    const [without] = rows(withoutPolicies(manifests));
    expect(without!.pass).to.equal(true);
    expect(without!.detail).to.include("no other release's objects in reach (not confined");
  });

  it("gives no row to the standalone account: it holds no write right", async () => {
    const subjects = rows(await manifestsOf("dev")).map((r) => r.subject);
    expect(subjects).to.deep.equal(["writes of spark/spark-41-spark"]);
  });

  describe("negative controls: a policy that does not confine is not taken for one", () => {
    const cases: [string, (m: Loose[]) => void, string][] = [
      [
        "validation pinned to the other release",
        (m) => {
          const policy = find(m, "ValidatingAdmissionPolicy", "spark-41-own-objects.spark");
          policy.spec.validations[0].expression = policy.spec.validations[0].expression.replace(
            /'spark-41'/g,
            "'spark-35'",
          );
        },
        "no validation pins spark-platform.io/release=spark-41 on object and oldObject",
      ],
      [
        "validation that checks only the new object (a DELETE would pass)",
        (m) => {
          const policy = find(m, "ValidatingAdmissionPolicy", "spark-41-own-objects.spark");
          policy.spec.validations[0].expression = policy.spec.validations[0].expression.split(
            " && (request.operation == 'CREATE'",
          )[0];
        },
        "no validation pins",
      ],
      [
        "match condition on another account",
        (m) => {
          const policy = find(m, "ValidatingAdmissionPolicy", "spark-41-own-objects.spark");
          policy.spec.matchConditions[0].expression =
            "request.userInfo.username == 'system:serviceaccount:spark:spark-41-spark' || true";
        },
        "its match conditions do not select exactly system:serviceaccount:spark:spark-41-spark",
      ],
      [
        "DELETE not intercepted",
        (m) => {
          const policy = find(m, "ValidatingAdmissionPolicy", "spark-41-own-objects.spark");
          policy.spec.matchConstraints.resourceRules[0].operations = ["CREATE", "UPDATE"];
        },
        "its matchConstraints let DELETE of pods in spark through",
      ],
      [
        "ConfigMaps excluded",
        (m) => {
          const policy = find(m, "ValidatingAdmissionPolicy", "spark-41-own-objects.spark");
          policy.spec.matchConstraints.excludeResourceRules = [
            {
              apiGroups: [""],
              apiVersions: ["v1"],
              resources: ["configmaps"],
              operations: ["*"],
            },
          ];
        },
        "let CREATE of configmaps in spark through",
      ],
      [
        "failurePolicy Ignore",
        (m) => {
          find(m, "ValidatingAdmissionPolicy", "spark-41-own-objects.spark").spec.failurePolicy =
            "Ignore";
        },
        "failurePolicy Ignore admits on errors",
      ],
      [
        "binding that only warns",
        (m) => {
          find(
            m,
            "ValidatingAdmissionPolicyBinding",
            "spark-41-own-objects.spark",
          ).spec.validationActions = ["Warn", "Audit"];
        },
        "no binding of it denies every such write in spark (spark-41-own-objects.spark: Warn,Audit)",
      ],
      [
        "binding limited to other namespaces",
        (m) => {
          find(
            m,
            "ValidatingAdmissionPolicyBinding",
            "spark-41-own-objects.spark",
          ).spec.matchResources = {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "spark-41" } },
          };
        },
        "no binding of it denies every such write in spark",
      ],
      [
        "binding with an object selector (unlabelled objects escape)",
        (m) => {
          find(
            m,
            "ValidatingAdmissionPolicyBinding",
            "spark-41-own-objects.spark",
          ).spec.matchResources = {
            objectSelector: { matchLabels: { "spark-platform.io/release": "spark-41" } },
          };
        },
        "no binding of it denies every such write in spark",
      ],
      [
        "no binding",
        (m) => {
          m.splice(
            m.indexOf(find(m, "ValidatingAdmissionPolicyBinding", "spark-41-own-objects.spark")),
            1,
          );
        },
        "no ValidatingAdmissionPolicyBinding binds it",
      ],
    ];
    for (const [what, edit, reason] of cases) {
      it(`fails with ${what}`, async () => {
        const manifests = await manifestsOf("dev");
        edit(manifests);
        const row = connectRow(manifests);
        expect(row.pass).to.equal(false);
        expect(row.detail).to.include(reason);
        expect(row.detail).to.include("exposed objects of other releases: ");
      });
    }

    it("spark-35's policy never confines spark-41's account", async () => {
      const manifests = (await manifestsOf("dev")).filter(
        (m) =>
          !(
            String(m.kind).startsWith("ValidatingAdmission") &&
            m.metadata.name.startsWith("spark-41-")
          ),
      );
      expect(connectRow(manifests).pass).to.equal(false);
    });
  });

  describe("other grants", () => {
    it("a cluster-wide grant in prod reaches the other release's namespace, and the policy still confines it", async () => {
      const manifests = await manifestsOf("prod");
      manifests.push(
        {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "ClusterRole",
          metadata: {
            name: "spark-41-configmaps",
            labels: { "spark-platform.io/release": "spark-41" },
          },
          rules: [{ apiGroups: [""], resources: ["configmaps", "secrets"], verbs: ["delete"] }],
        },
        {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "ClusterRoleBinding",
          metadata: {
            name: "spark-41-configmaps",
            labels: { "spark-platform.io/release": "spark-41" },
          },
          roleRef: {
            apiGroup: "rbac.authorization.k8s.io",
            kind: "ClusterRole",
            name: "spark-41-configmaps",
          },
          subjects: [{ kind: "ServiceAccount", name: "spark-41-spark", namespace: "spark-41" }],
        },
      );
      const clusterRow = rows(manifests).find((r) =>
        r.detail.includes("ClusterRole/spark-41-configmaps"),
      )!;
      expect(clusterRow.pass, clusterRow.detail).to.equal(true);
      expect(clusterRow.detail).to.include("in every namespace");
      const unconfined = rows(withoutPolicies(manifests)).find((r) =>
        r.detail.includes("ClusterRole/spark-41-configmaps"),
      )!;
      expect(unconfined.pass).to.equal(false);
      expect(unconfined.detail).to.include("ConfigMap/spark-35/spark-35-spark-defaults");
      expect(unconfined.detail).to.include("Secret/spark-35/spark-35-object-store");
    });

    it("reads write rights from Role rules: verbs, wildcards, subresources and resourceNames", () => {
      expect(
        writableResources({
          rules: [
            { apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "patch"] },
            { apiGroups: ["apps"], resources: ["*"], verbs: ["*"] },
            { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] },
            { apiGroups: [""], resources: ["configmaps"], verbs: ["delete"], resourceNames: ["x"] },
          ],
        }),
      ).to.deep.equal({
        verbs: ["patch", "*"],
        resources: [
          { group: "", resource: "pods" },
          { group: "apps", resource: "deployments" },
          { group: "apps", resource: "statefulsets" },
          { group: "apps", resource: "daemonsets" },
        ],
      });
    });
  });

  describe("standalone accounts do nothing with pods", () => {
    it("fails a read-only pod right given to the standalone account", async () => {
      const manifests = await manifestsOf("dev");
      manifests.push(
        {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "Role",
          metadata: {
            name: "spark-35-pod-reader",
            namespace: "spark",
            labels: { "spark-platform.io/release": "spark-35" },
          },
          rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }],
        },
        {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "RoleBinding",
          metadata: {
            name: "spark-35-pod-reader",
            namespace: "spark",
            labels: { "spark-platform.io/release": "spark-35" },
          },
          roleRef: {
            apiGroup: "rbac.authorization.k8s.io",
            kind: "Role",
            name: "spark-35-pod-reader",
          },
          subjects: [{ kind: "ServiceAccount", name: "spark-35-spark", namespace: "spark" }],
        },
      );
      const failed = failures(verifyObjects(clusterObjects(manifests))).map(
        (r) => `${r.subject}: ${r.detail}`,
      );
      expect(failed).to.deep.equal([
        "standalone release spark-35: RoleBinding/spark/spark-35-pod-reader grants Role/spark/spark-35-pod-reader (get, list on pods) to spark-35-spark: a standalone release does nothing with pods",
      ]);
    });
  });
});
