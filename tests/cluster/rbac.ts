// Live RBAC checks against the running platform (issue 11, item 4), for the lead's
// platform suite: call `rbacChecks(c.namespaceOf)` inside a stack's describe, after the
// tests that wait for readiness and before any that restart or destroy the platform (the
// checks are plain `it`s and run where they are called). Every check reads the live API server: `kubectl auth can-i` and
// server-side dry runs (`--dry-run=server`) as the releases' ServiceAccounts; nothing is
// changed in the platform's namespaces. Each check has a negative control (the admin, or
// the same request for the account's own release), so a denial proves the rule and not a
// missing object or a typo.
import { expect } from "chai";
import { RELEASE_LABEL } from "../../lib/kube/objects";
import { releaseNames } from "../../lib/naming/names";
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
import { getItems, kubectl } from "./support";

type Release = "spark-35" | "spark-41";

/** Where each release runs: one namespace (local) or one each (local-prod). */
export type RbacNamespaceOf = Readonly<Record<Release, string>>;

const POD_VERBS = [
  "get",
  "list",
  "watch",
  "create",
  "update",
  "patch",
  "delete",
  "deletecollection",
];
const POLICY_MESSAGE = `may create, change and delete only objects labelled ${RELEASE_LABEL}=spark-41`;

const account = (release: Release, namespaceOf: RbacNamespaceOf) =>
  asAccount(namespaceOf[release], releaseNames(release).serviceAccount);
const policyOf = (release: Release, namespaceOf: RbacNamespaceOf) =>
  `${release}-own-objects.${namespaceOf[release]}`;

/** A running (or completed) pod of a release, named for the dry runs. */
async function podOf(release: Release, namespace: string): Promise<string> {
  const pods = await getItems("pods", namespace, `${RELEASE_LABEL}=${release}`);
  expect(pods.length, `pods of ${release} in ${namespace}`).to.be.greaterThan(0);
  return pods[0]!.metadata.name;
}

/**
 * The live RBAC checks of one stack. Expected: the standalone account can do nothing with
 * pods; the Connect account manages pods only in its own namespace; neither reads the
 * other's Secrets; the Connect account's deletes of spark-35's ConfigMap and pod are
 * refused (by its ValidatingAdmissionPolicy where the namespace is shared, by RBAC where it
 * is not) while it may still create a pod labelled as its own release.
 */
export function rbacChecks(namespaceOf: RbacNamespaceOf): void {
  const shared = namespaceOf["spark-35"] === namespaceOf["spark-41"];
  const ns35 = namespaceOf["spark-35"];
  const ns41 = namespaceOf["spark-41"];

  // Plain `it`s, no nested describe: mocha runs a suite's own tests before its child
  // suites, so a describe here would run after the caller's later tests (destroy).
  it("RBAC: the stack's admission policies are in place, one per release", async () => {
    for (const release of ["spark-35", "spark-41"] as const) {
      const name = policyOf(release, namespaceOf);
      const policy = await kubectl(["get", "validatingadmissionpolicy", name, "-o", "json"]);
      const binding = await kubectl([
        "get",
        "validatingadmissionpolicybinding",
        name,
        "-o",
        "json",
      ]);
      const spec = JSON.parse(policy.stdout).spec as {
        matchConditions: { expression: string }[];
      };
      expect(spec.matchConditions[0]!.expression).to.include(
        `system:serviceaccount:${namespaceOf[release]}:${release}-spark`,
      );
      expect(JSON.parse(binding.stdout).spec.validationActions).to.deep.equal(["Deny"]);
    }
  });

  it("RBAC: the standalone account can do nothing with pods, in any of the releases' namespaces", async () => {
    const as35 = account("spark-35", namespaceOf);
    for (const namespace of new Set([ns35, ns41])) {
      for (const verb of POD_VERBS) {
        expect(
          await canI(as35, verb, "pods", namespace),
          `spark-35 ${verb} pods in ${namespace}`,
        ).to.equal(false);
      }
    }
    // Negative control: the same question answers yes for the Connect account.
    expect(await canI(account("spark-41", namespaceOf), "create", "pods", ns41)).to.equal(true);
  });

  it("RBAC: the Connect account manages pods in its own namespace only", async () => {
    const as41 = account("spark-41", namespaceOf);
    for (const verb of ["create", "delete", "patch", "list"]) {
      expect(await canI(as41, verb, "pods", ns41), `${verb} pods in ${ns41}`).to.equal(true);
    }
    const elsewhere = ["default", "kube-system", "spark-infra", ...(shared ? [] : [ns35])];
    for (const namespace of elsewhere) {
      for (const verb of ["create", "delete", "list"]) {
        expect(await canI(as41, verb, "pods", namespace), `${verb} pods in ${namespace}`).to.equal(
          false,
        );
      }
    }
  });

  it("RBAC: neither account can read the other's Secrets", async () => {
    for (const [reader, owner] of [
      ["spark-35", "spark-41"],
      ["spark-41", "spark-35"],
    ] as const) {
      const secret = releaseNames(owner).objectStoreSecret;
      const namespace = namespaceOf[owner];
      // Negative control: the Secret exists (the admin sees it), so "no" is about rights.
      await kubectl(["get", "secret", secret, "-n", namespace, "-o", "name"]);
      const as = account(reader, namespaceOf);
      for (const verb of ["get", "list", "watch"]) {
        expect(
          await canI(as, verb, `secrets/${secret}`, namespace),
          `${reader} ${verb} secret ${namespace}/${secret}`,
        ).to.equal(false);
      }
      const read = await kubectl(["get", "secret", secret, "-n", namespace, as], true);
      expect(deniedByRbac(read), outcome(read)).to.equal(true);
    }
  });

  it("RBAC: the Connect account may not delete spark-35's ConfigMap or pod (server-side dry runs)", async () => {
    const as41 = account("spark-41", namespaceOf);
    const targets = [
      ["configmap", "spark-35-spark-defaults"],
      ["pod", await podOf("spark-35", ns35)],
    ] as const;
    for (const [kind, name] of targets) {
      const args = ["delete", kind, name, "-n", ns35];
      // Negative control: the admin's identical dry run succeeds.
      const admin = await dryRun(args);
      expect(admin.code, `admin: ${outcome(admin)}`).to.equal(0);
      const attempt = await dryRun(args, as41);
      if (shared) {
        expect(
          deniedByPolicy(attempt, policyOf("spark-41", namespaceOf)),
          `${kind} ${name}: ${outcome(attempt)}`,
        ).to.equal(true);
        expect(attempt.stderr).to.include(POLICY_MESSAGE);
      } else {
        expect(deniedByRbac(attempt), `${kind} ${name}: ${outcome(attempt)}`).to.equal(true);
      }
    }
  });

  it("RBAC: the Connect account may still delete its own pods and create pods labelled as its release (dry runs)", async () => {
    const as41 = account("spark-41", namespaceOf);
    const own = await dryRun(["delete", "pod", await podOf("spark-41", ns41), "-n", ns41], as41);
    expect(own.code, outcome(own)).to.equal(0);
    const pod = (release: Release) =>
      parkedPod(ns41, `spark-41-rbac-check-${release}`, {
        [RELEASE_LABEL]: release,
        "app.kubernetes.io/component": "executor",
      });
    const created = await createObjects([pod("spark-41")], { as: as41, dryRun: true });
    expect(created.code, outcome(created)).to.equal(0);
    // Negative control: the same pod labelled as spark-35 is refused by the policy.
    const foreign = await createObjects([pod("spark-35")], { as: as41, dryRun: true });
    expect(deniedByPolicy(foreign, policyOf("spark-41", namespaceOf)), outcome(foreign)).to.equal(
      true,
    );
  });

  it("RBAC: what Spark created under the policy carries the release label: executors, and no executor ConfigMap", async () => {
    const executors = await getItems("pods", ns41, "spark-role=executor");
    expect(executors.length, "executor pods of the Connect server").to.be.greaterThan(0);
    for (const pod of executors) {
      expect(pod.metadata.labels?.[RELEASE_LABEL], pod.metadata.name).to.equal("spark-41");
      // The driver patched the executor id label on: an UPDATE the policy admitted.
      expect(pod.metadata.labels?.["spark-exec-id"], pod.metadata.name).to.match(/^\d+$/);
    }
    const configMaps = await getItems("configmaps", ns41);
    expect(
      configMaps.map((c) => c.metadata.name).filter((n) => /^spark-exec-.*-conf-map$/.test(n)),
    ).to.deep.equal([]);
  });
}
