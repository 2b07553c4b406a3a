// Live suite (npm run test:cluster): the admission policy that confines a release's
// ServiceAccount to its own release's objects, proven on the local cluster by itself, in a
// scratch namespace of its own (vap-test-<run>): the objects the builders render for two
// releases sharing that namespace, the policies our program generates for them, and
// kubectl as each release's account (impersonation). It needs the cluster only, not the
// platform; it creates two cluster-scoped policy/binding pairs named after the scratch
// namespace and deletes them, and the namespace, at the end.
import { expect } from "chai";
import {
  ownObjectsPolicy,
  ownObjectsPolicyBinding,
  ownObjectsPolicyName,
} from "../../components/spark-release/admissionPolicy";
import {
  serviceAccount,
  sparkDefaultsConfigMap,
} from "../../components/spark-release/manifests/common";
import {
  executorRole,
  executorRoleBinding,
} from "../../components/spark-release/manifests/connect";
import { masterService } from "../../components/spark-release/manifests/standalone";
import type { ReleaseConfig } from "../../lib/config/model";
import { RELEASE_LABEL, objectStoreSecret } from "../../lib/kube/objects";
import { baseValues, parseValid, rawConfig } from "../support/stacks";
import {
  asAccount,
  canI,
  createObjects,
  deniedByPolicy,
  deniedByRbac,
  dryRun,
  outcome,
  parkedPod,
} from "./rbacSupport";
import { rbacChecks, type RbacNamespaceOf } from "./rbac";
import { RUN, kubectl, note, waitUntil } from "./support";
import { awsCredentialsFile } from "../../lib/spark/s3a";

const NS = `vap-test-${RUN}`;
const config = parseValid(rawConfig({ ...baseValues(), sharedNamespace: NS }));
const release = (name: string): ReleaseConfig => config.releases.find((r) => r.name === name)!;
const r35 = release("spark-35");
const r41 = release("spark-41");
const as35 = asAccount(NS, r35.names.serviceAccount);
const as41 = asAccount(NS, r41.names.serviceAccount);
const POLICY_41 = ownObjectsPolicyName(r41);
const MESSAGE_41 = `may create, change and delete only objects labelled ${RELEASE_LABEL}=spark-41`;

const labelled = (name: string) => ({ [RELEASE_LABEL]: name });
const configMap = (name: string, labels?: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: NS, ...(labels ? { labels } : {}) },
  data: { probe: "1" },
});
const policies = [r35, r41].flatMap((r) => [ownObjectsPolicy(r), ownObjectsPolicyBinding(r)]);

/** Raw deletecollection (kubectl delete -l lists and deletes one by one; this is one call). */
const deleteCollection = (selector: string, as: string) =>
  kubectl(
    [
      "delete",
      "--raw",
      `/api/v1/namespaces/${NS}/configmaps?labelSelector=${encodeURIComponent(selector)}&dryRun=All`,
      as,
    ],
    true,
  );

describe(`live: a release's ServiceAccount confined to its own objects (namespace ${NS})`, function () {
  this.timeout(5 * 60_000);

  before(async () => {
    await kubectl(["create", "namespace", NS]);
    const objects = [
      serviceAccount(r35),
      serviceAccount(r41),
      executorRole(r41),
      executorRoleBinding(r41),
      sparkDefaultsConfigMap(config, r35),
      sparkDefaultsConfigMap(config, r41),
      masterService(r35),
      parkedPod(NS, "spark-35-parked", labelled("spark-35")),
      configMap("unlabelled"),
    ];
    const created = await createObjects(objects);
    expect(created.code, created.stderr).to.equal(0);
  });

  after(async () => {
    for (const p of policies) {
      await kubectl(
        ["delete", p.kind.toLowerCase(), p.metadata!.name!, "--ignore-not-found"],
        true,
      );
    }
    await kubectl(["delete", "namespace", NS, "--ignore-not-found", "--wait=false"], true);
  });

  it("RBAC alone: spark-41's account may delete spark-35's ConfigMap (the hole), spark-35's may do nothing with pods", async () => {
    expect(await canI(as41, "delete", "configmaps", NS)).to.equal(true);
    const hole = await dryRun(["delete", "configmap", "spark-35-spark-defaults", "-n", NS], as41);
    expect(hole.code, outcome(hole)).to.equal(0);
    for (const verb of ["get", "list", "watch", "create", "patch", "delete"]) {
      expect(await canI(as35, verb, "pods", NS), `spark-35 ${verb} pods`).to.equal(false);
    }
  });

  describe("with the policies the program generates", () => {
    before(async () => {
      const created = await createObjects(policies);
      expect(created.code, created.stderr).to.equal(0);
      // The API server loads a new policy within a moment; wait until it denies.
      await waitUntil(
        `${POLICY_41} enforced`,
        60_000,
        async () => {
          const r = await dryRun(
            ["delete", "configmap", "spark-35-spark-defaults", "-n", NS],
            as41,
          );
          return deniedByPolicy(r, POLICY_41) ? undefined : outcome(r);
        },
        500,
      );
    });

    it("denies spark-41's account deleting or changing spark-35's objects, with the policy's message", async () => {
      const attempts: [string, string[]][] = [
        ["delete ConfigMap", ["delete", "configmap", "spark-35-spark-defaults", "-n", NS]],
        ["delete pod", ["delete", "pod", "spark-35-parked", "-n", NS]],
        ["label Service", ["label", "service", "spark-35-master", "x=y", "-n", NS]],
        [
          "take ConfigMap over",
          [
            "label",
            "configmap",
            "spark-35-spark-defaults",
            `${RELEASE_LABEL}=spark-41`,
            "--overwrite",
            "-n",
            NS,
          ],
        ],
        ["delete unlabelled", ["delete", "configmap", "unlabelled", "-n", NS]],
      ];
      for (const [what, args] of attempts) {
        const result = await dryRun(args, as41);
        expect(deniedByPolicy(result, POLICY_41), `${what}: ${outcome(result)}`).to.equal(true);
        expect(result.stderr, what).to.include(MESSAGE_41);
      }
      const deletion = await dryRun(
        ["delete", "configmap", "spark-35-spark-defaults", "-n", NS],
        as41,
      );
      expect(deletion.stderr).to.include("denied DELETE of configmaps spark-35-spark-defaults");
    });

    it("denies creating objects without its release label, or with another release's", async () => {
      for (const [what, object] of [
        ["pod labelled spark-35", parkedPod(NS, "spark-41-fake", labelled("spark-35"))],
        ["unlabelled pod", parkedPod(NS, "spark-41-bare", {})],
        ["unlabelled ConfigMap", configMap("spark-41-bare")],
      ] as const) {
        const result = await createObjects([object], { as: as41, dryRun: true });
        expect(deniedByPolicy(result, POLICY_41), `${what}: ${outcome(result)}`).to.equal(true);
      }
    });

    it("admits what it needs: its own pods and ConfigMaps, created, changed and deleted for real", async () => {
      const pod = await createObjects([parkedPod(NS, "spark-41-exec-1", labelled("spark-41"))], {
        as: as41,
        dryRun: true,
      });
      expect(pod.code, outcome(pod)).to.equal(0);
      const own = configMap("spark-41-probe", labelled("spark-41"));
      const created = await createObjects([own], { as: as41 });
      expect(created.code, outcome(created)).to.equal(0);
      const label = await kubectl(
        ["label", "configmap", "spark-41-probe", "spark-exec-id=1", "-n", NS, as41],
        true,
      );
      expect(label.code, outcome(label)).to.equal(0);
      // Giving its own object away is a change to another release's object: denied.
      const away = await dryRun(
        [
          "label",
          "configmap",
          "spark-41-probe",
          `${RELEASE_LABEL}=spark-35`,
          "--overwrite",
          "-n",
          NS,
        ],
        as41,
      );
      expect(deniedByPolicy(away, POLICY_41), outcome(away)).to.equal(true);
      const deleted = await kubectl(
        ["delete", "configmap", "spark-41-probe", "-n", NS, as41],
        true,
      );
      expect(deleted.code, outcome(deleted)).to.equal(0);
    });

    it("checks every item of a deletecollection", async () => {
      const foreign = await deleteCollection(`${RELEASE_LABEL}=spark-35`, as41);
      expect(deniedByPolicy(foreign, POLICY_41), outcome(foreign)).to.equal(true);
      const everything = await deleteCollection("", as41);
      expect(deniedByPolicy(everything, POLICY_41), outcome(everything)).to.equal(true);
      const own = await deleteCollection(`${RELEASE_LABEL}=spark-41`, as41);
      expect(own.code, outcome(own)).to.equal(0);
      expect(own.stdout).to.include("spark-41-spark-defaults");
    });

    it("leaves everyone else alone: the admin may, spark-35's account is still refused by RBAC", async () => {
      const admin = await dryRun(["delete", "configmap", "spark-35-spark-defaults", "-n", NS]);
      expect(admin.code, outcome(admin)).to.equal(0);
      const standalone = await createObjects(
        [parkedPod(NS, "spark-35-new", labelled("spark-35"))],
        {
          as: as35,
          dryRun: true,
        },
      );
      expect(deniedByRbac(standalone), outcome(standalone)).to.equal(true);
      // Access reviews are cluster-scoped: `kubectl auth can-i` still answers for both.
      expect(await canI(as41, "create", "pods", NS)).to.equal(true);
      expect(await canI(as35, "create", "pods", NS)).to.equal(false);
    });

    it("spark-35's policy confines spark-35's account the same way once it holds rights", async () => {
      const grant = [
        {
          ...executorRole(r41),
          metadata: {
            ...executorRole(r41).metadata,
            name: "spark-35-grant",
            labels: labelled("spark-35"),
          },
        },
        {
          ...executorRoleBinding(r41),
          metadata: {
            ...executorRoleBinding(r41).metadata,
            name: "spark-35-grant",
            labels: labelled("spark-35"),
          },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "spark-35-grant" },
          subjects: [{ kind: "ServiceAccount", name: r35.names.serviceAccount, namespace: NS }],
        },
      ];
      const created = await createObjects(grant);
      expect(created.code, created.stderr).to.equal(0);
      try {
        await waitUntil(
          "spark-35 grant effective",
          30_000,
          async () => ((await canI(as35, "delete", "configmaps", NS)) ? undefined : "no"),
          500,
        );
        const foreign = await dryRun(
          ["delete", "configmap", "spark-41-spark-defaults", "-n", NS],
          as35,
        );
        expect(deniedByPolicy(foreign, ownObjectsPolicyName(r35)), outcome(foreign)).to.equal(true);
        const own = await dryRun(
          ["delete", "configmap", "spark-35-spark-defaults", "-n", NS],
          as35,
        );
        expect(own.code, outcome(own)).to.equal(0);
      } finally {
        await kubectl(["delete", "role,rolebinding", "spark-35-grant", "-n", NS], true);
      }
      note(`${NS}: both releases' accounts confined to their own objects`);
    });
  });
});

/**
 * `rbacChecks` (rbac.ts, run by the platform suite against the real stacks) against a
 * stand-in of the platform in scratch namespaces, in both layouts: what the checks read
 * (accounts, Role, spark-35's ConfigMap, Secrets, pods of each release, an executor pod
 * the Connect account created itself) built by the same builders, plus the policies. So
 * the checks are known to pass on a confined platform before the platform suite runs them.
 */
for (const layout of ["shared", "perRelease"] as const) {
  const namespaceOf: RbacNamespaceOf =
    layout === "shared"
      ? { "spark-35": `${NS}-sh`, "spark-41": `${NS}-sh` }
      : { "spark-35": `${NS}-35`, "spark-41": `${NS}-41` };
  const values = baseValues();
  const stand = parseValid(
    rawConfig(
      layout === "shared"
        ? { ...values, sharedNamespace: namespaceOf["spark-35"] }
        : {
            ...values,
            namespaceLayout: "perRelease",
            releases: (values["releases"] as Record<string, unknown>[]).map((r) => ({
              ...r,
              namespace: namespaceOf[r["name"] as "spark-35" | "spark-41"],
            })),
          },
    ),
  );
  const s35 = stand.releases.find((r) => r.name === "spark-35")!;
  const s41 = stand.releases.find((r) => r.name === "spark-41")!;
  const standPolicies = [s35, s41].flatMap((r) => [
    ownObjectsPolicy(r),
    ownObjectsPolicyBinding(r),
  ]);

  describe(`live: rbacChecks on a stand-in of the ${layout} layout (${[...new Set(Object.values(namespaceOf))].join(", ")})`, function () {
    this.timeout(5 * 60_000);

    before(async () => {
      for (const namespace of new Set(Object.values(namespaceOf))) {
        await kubectl(["create", "namespace", namespace]);
      }
      const secret = (r: ReleaseConfig) =>
        objectStoreSecret(r, "spark", r.names.objectStoreSecret, "tests/cluster/rbac.test.ts", {
          accessKey: "stand-in",
          secretKey: "stand-in",
          profileFile: awsCredentialsFile("stand-in", "stand-in"),
        });
      const created = await createObjects([
        serviceAccount(s35),
        serviceAccount(s41),
        executorRole(s41),
        executorRoleBinding(s41),
        sparkDefaultsConfigMap(stand, s35),
        secret(s35),
        secret(s41),
        parkedPod(s35.namespace, "spark-35-master-0", labelled("spark-35")),
        parkedPod(s41.namespace, "spark-41-connect-0", labelled("spark-41")),
        ...standPolicies,
      ]);
      expect(created.code, created.stderr).to.equal(0);
      // The executor comes from the Connect account itself, through its policy.
      const executor = parkedPod(s41.namespace, "spark-41-run-exec-1", {
        ...labelled("spark-41"),
        "spark-role": "executor",
        "spark-exec-id": "1",
      });
      await waitUntil(
        "executor created by the Connect account",
        60_000,
        async () => {
          const r = await createObjects([executor], {
            as: asAccount(s41.namespace, s41.names.serviceAccount),
          });
          return r.code === 0 ? undefined : outcome(r);
        },
        500,
      );
    });

    after(async () => {
      for (const p of standPolicies) {
        await kubectl(
          ["delete", p.kind.toLowerCase(), p.metadata!.name!, "--ignore-not-found"],
          true,
        );
      }
      for (const namespace of new Set(Object.values(namespaceOf))) {
        await kubectl(
          ["delete", "namespace", namespace, "--ignore-not-found", "--wait=false"],
          true,
        );
      }
    });

    rbacChecks(namespaceOf);
  });
}
