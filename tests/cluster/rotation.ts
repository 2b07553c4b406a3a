// Live credential rotation (issue 10, §2 item 4): the PostgreSQL admin password is
// rotated for real, on the server and in the stack's secret config; `up` then derives new
// role passwords, and exactly the pods that hold them (metastores, schema-init) roll.
// The original password is put back in a `finally`, also when an assertion fails.
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { setSecret, type PreparedStack } from "../../tools/engine/workspace";
import { RELEASE_LABEL } from "../../lib/kube/objects";
import { releaseNames } from "../../lib/naming/names";
import { RELEASES, type NamespaceOf } from "./clients";
import { secretValue } from "./jobs";
import { platformComplaints, podUids } from "../../tools/kubectl/readiness";
import { cluster, kubectl, note, up, waitUntil, withPg } from "./support";

const READY_MS = 12 * 60_000;

/** Pods that hold a metastore role's password: the metastore and its schema-init Job. */
export function holdsDatabaseCredentials(podName: string): boolean {
  return /^spark-\d+-metastore-/.test(podName);
}

/** `pulumi config set --secret <key>` in the stack's workspace, the value on stdin. */
async function setSecretConfig(prepared: PreparedStack, key: string, value: string) {
  await setSecret(prepared.workspaceDir, prepared.env, prepared.stackName, key, value);
}

async function setAdminPassword(from: string, to: string): Promise<void> {
  await withPg(
    "postgres",
    (pg) => pg.query(`ALTER ROLE postgres PASSWORD ${pg.escapeLiteral(to)}`),
    {
      user: "postgres",
      password: from,
    },
  );
}

/** `ns/spark-35-metastore-76b5-cdgjl` -> `spark-35-metastore` (Deployment or Job of the pod). */
export function workloadOfPod(pod: string): string {
  const name = pod.split("/").pop() ?? pod;
  return name.replace(/-[a-z0-9]{8,10}-[a-z0-9]{5}$/, "").replace(/-[a-z0-9]{5}$/, "");
}

async function allPods(namespaces: readonly string[]): Promise<Map<string, string>> {
  const pods = new Map<string, string>();
  for (const ns of namespaces) {
    for (const [name, uid] of await podUids(ns, RELEASE_LABEL)) pods.set(`${ns}/${name}`, uid);
  }
  return pods;
}

async function roleSecretPassword(namespace: string, release: string): Promise<string> {
  return secretValue(namespace, releaseNames(release).metastoreDbSecret, "password");
}

async function canLogIn(database: string, user: string, password: string): Promise<boolean> {
  return withPg(database, async () => true, { user, password }).catch(() => false);
}

interface Rotation {
  /** Pods (ns/name) replaced by the rotation. */
  readonly rolled: string[];
  /** Pods (ns/name) of before that are unchanged. */
  readonly kept: string[];
  readonly seconds: number;
}

/** Sets the admin password on the server and in the stack, applies, waits for Ready. */
async function rotateTo(
  prepared: PreparedStack,
  namespaces: readonly string[],
  from: string,
  to: string,
): Promise<Rotation> {
  const before = await allPods(namespaces);
  const started = Date.now();
  await setAdminPassword(from, to);
  await setSecretConfig(prepared, "spark-platform:postgresAdminPassword", to);
  await up(prepared.stack);
  await waitUntil("Ready after the rotation", READY_MS, async () => {
    const complaints = await platformComplaints(namespaces);
    return complaints.length ? complaints.join("; ") : undefined;
  });
  // New pods are Ready before the replaced ones have finished terminating.
  await waitUntil("replaced pods gone", 3 * 60_000, async () => {
    const now = await allPods(namespaces);
    const stale = [...before.keys()].filter(
      (p) => holdsDatabaseCredentials(p.split("/")[1]!) && now.has(p),
    );
    return stale.length ? stale.join(", ") : undefined;
  });
  const after = await allPods(namespaces);
  return {
    rolled: [...before.keys()].filter((p) => after.get(p) !== before.get(p)).sort(),
    kept: [...before.keys()].filter((p) => after.get(p) === before.get(p)).sort(),
    seconds: Math.round((Date.now() - started) / 1000),
  };
}

/**
 * Registers the rotation `it` (call inside a stack's describe; `current()` gives its
 * prepared stack). Rotates the admin password and back, checking both ways.
 */
export function credentialRotationCheck(
  current: () => PreparedStack,
  namespaceOf: NamespaceOf,
): void {
  it("rotating the PostgreSQL admin password rolls exactly the pods holding derived passwords, which then work", async function () {
    this.timeout(2 * READY_MS + 10 * 60_000);
    const prepared = current();
    const namespaces = [...new Set(Object.values(namespaceOf))];
    const original = (await cluster()).postgres.password;
    const rotated = randomBytes(18).toString("base64url");
    const oldRolePasswords = Object.fromEntries(
      await Promise.all(
        RELEASES.map(async (r) => [r, await roleSecretPassword(namespaceOf[r], r)] as const),
      ),
    );
    let current_ = original;
    try {
      const there = await rotateTo(prepared, namespaces, original, rotated);
      current_ = rotated;
      note(`rotation: ${there.seconds}s, rolled ${there.rolled.join(", ")}`);
      expect(there.rolled.length, "something rolled").to.be.greaterThan(0);
      expect(
        there.rolled.filter((p) => !holdsDatabaseCredentials(p.split("/")[1]!)),
        "rolled without holding a database password",
      ).to.deep.equal([]);
      expect(
        there.kept.filter((p) => holdsDatabaseCredentials(p.split("/")[1]!)),
        "kept stale database passwords",
      ).to.deep.equal([]);
      for (const r of RELEASES) {
        const database = `metastore_${r.replace("-", "")}`;
        const fresh = await roleSecretPassword(namespaceOf[r], r);
        expect(fresh, `${r}'s role password changed`).to.not.equal(oldRolePasswords[r]);
        expect(
          await canLogIn(database, database, fresh),
          `${database} with the new password`,
        ).to.equal(true);
        expect(
          await canLogIn(database, database, oldRolePasswords[r]!),
          "old password refused",
        ).to.equal(false);
      }
      // The Secret values never appear in the pod specs (a digest does).
      const deploy = await kubectl(["get", "deploy", "-n", namespaces[0]!, "-o", "json"]);
      expect(deploy.stdout).to.not.contain(rotated);
      const back = await rotateTo(prepared, namespaces, rotated, original);
      current_ = original;
      note(`rotation back: ${back.seconds}s, rolled ${back.rolled.join(", ")}`);
      expect(back.rolled.map(workloadOfPod), "the same workloads roll back").to.deep.equal(
        there.rolled.map(workloadOfPod),
      );
    } finally {
      if (current_ !== original) {
        await setAdminPassword(current_, original);
        await setSecretConfig(prepared, "spark-platform:postgresAdminPassword", original);
        await up(prepared.stack).catch(() => ({}));
      }
    }
  });
}
