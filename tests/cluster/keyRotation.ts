// Live rotation of the stack's Spark authentication key (platform/sparkAuthKey.ts):
// `pulumi up --replace <its URN>` draws a new key, so spark-35's RPC secret and spark-41's
// Connect token and RPC secret (all derived from it) change; exactly the pods that hold
// them roll (the pods reading spark-35's or spark-41's authentication Secret or spark-41's
// server Secret), the client Secrets in the granted namespace are rewritten in place, and
// jobs with the new client Secrets run on both releases.
import { expect } from "chai";
import type { PreparedStack } from "../../tools/engine/workspace";
import { RELEASE_LABEL } from "../../lib/kube/objects";
import { releaseNames } from "../../lib/naming/names";
import { SPARK_AUTH_KEYS } from "../../lib/spark/authentication";
import { CONNECT_CLIENT_KEYS } from "../../lib/spark/connectAuthentication";
import { SPARK_AUTH_KEY_TYPE } from "../../platform/sparkAuthKey";
import { platformComplaints } from "../../tools/kubectl/readiness";
import type { PodModel } from "../../lib/kube/analysis/pods";
import { referencedSecrets } from "../../lib/verify/objects";
import { CLIENT_PLACEMENT, deleteRun, newRunId, RELEASES, type NamespaceOf } from "./clients";
import { secretValue } from "./jobs";
import { getItems, note, output, waitUntil } from "./support";
import { prepareFaultJobs, runJob } from "../faults/faultJobs";

const READY_MS = 12 * 60_000;

export interface PodSecrets {
  readonly uid: string;
  /** Names of the Secrets the pod's volumes and env read. */
  readonly secrets: readonly string[];
}

/**
 * The Secrets a live pod reads (volumes, env, envFrom, of every container): the verifier's
 * own reading of a pod (referencedSecrets), sorted.
 */
export function secretsOfPod(pod: { spec?: Record<string, unknown> }): string[] {
  const model: PodModel = {
    origin: "Pod",
    namespace: "",
    labels: {},
    spec: (pod.spec ?? { containers: [] }) as unknown as PodModel["spec"],
  };
  return referencedSecrets(model).sort();
}

/** The release pods of `namespaces` (executors aside: they go with their server) and the Secrets each reads. */
export async function releasePods(namespaces: readonly string[]): Promise<Map<string, PodSecrets>> {
  const pods = new Map<string, PodSecrets>();
  for (const ns of namespaces) {
    for (const pod of await getItems("pods", ns, RELEASE_LABEL)) {
      if ((pod.metadata as { deletionTimestamp?: string }).deletionTimestamp) continue;
      // Connect executors go with their server's pod (it owns them), not with a Secret.
      if (pod.metadata.labels?.["spark-role"] === "executor") continue;
      pods.set(`${ns}/${pod.metadata.name}`, {
        uid: pod.metadata.uid ?? "",
        secrets: secretsOfPod(pod as { spec?: Record<string, unknown> }),
      });
    }
  }
  return pods;
}

/** The pods (ns/name) that read one of `secrets`. */
export function holdersOf(pods: ReadonlyMap<string, PodSecrets>, secrets: readonly string[]) {
  return [...pods.entries()]
    .filter(([, p]) => p.secrets.some((s) => secrets.includes(s)))
    .map(([name]) => name)
    .sort();
}

/**
 * `pulumi up --replace` of the one stack resource `which` picks, then the platform Ready
 * and the old pods of `holders` gone (new pods are Ready before the replaced ones have
 * finished terminating). Returns the pods that rolled, against `before`.
 */
export async function replaceAndRoll(
  prepared: PreparedStack,
  namespaces: readonly string[],
  what: string,
  which: (resource: { type: string; urn: string }) => boolean,
  before: ReadonlyMap<string, PodSecrets>,
  holders: readonly string[],
): Promise<{ rolled: string[] }> {
  const deployment = (await prepared.stack.exportStack()).deployment as {
    resources?: { type: string; urn: string }[];
  };
  const resource = deployment.resources?.find(which);
  expect(resource, `the resource of the ${what}`).to.not.equal(undefined);
  const started = Date.now();
  const result = await prepared.stack.up({ onOutput: output, replace: [resource!.urn] });
  note(`${what}: ${JSON.stringify(result.summary.resourceChanges)}`);
  await waitUntil(`Ready after the ${what}`, READY_MS, async () => {
    const complaints = await platformComplaints(namespaces);
    return complaints.length ? complaints.join("; ") : undefined;
  });
  await waitUntil("the holders' old pods gone", 3 * 60_000, async () => {
    const now = await releasePods(namespaces);
    const stale = holders.filter((p) => now.get(p)?.uid === before.get(p)?.uid && now.has(p));
    return stale.length ? stale.join(", ") : undefined;
  });
  const after = await releasePods(namespaces);
  const rolled = [...before.keys()].filter((p) => after.get(p)?.uid !== before.get(p)!.uid);
  note(
    `${what}: ${Math.round((Date.now() - started) / 1000)} s; holders ${holders.join(", ")}; rolled ${rolled.join(", ")}`,
  );
  return { rolled };
}

/** Registers the rotation `it` (inside a stack's describe; `current()` gives its stack). */
export function sparkKeyRotationCheck(
  current: () => PreparedStack,
  namespaceOf: NamespaceOf,
): void {
  it("replacing the stack's Spark authentication key rotates spark-35's secret and spark-41's token, rolls exactly the pods holding them, and jobs with the new client Secrets run", async function () {
    this.timeout(READY_MS + 15 * 60_000);
    const prepared = current();
    const namespaces = [...new Set(Object.values(namespaceOf))];
    const held = [
      releaseNames("spark-35").sparkAuthSecret,
      releaseNames("spark-41").sparkAuthSecret,
      releaseNames("spark-41").connectServerSecret,
    ];
    const clientNs = CLIENT_PLACEMENT.namespace;
    const clientValues = () =>
      Promise.all([
        secretValue(
          clientNs,
          releaseNames("spark-35").sparkClientSecret,
          SPARK_AUTH_KEYS.properties.replace(".", "\\."),
        ),
        secretValue(
          clientNs,
          releaseNames("spark-41").connectClientSecret,
          CONNECT_CLIENT_KEYS.token,
        ),
      ]);
    const before = await releasePods(namespaces);
    const holders = holdersOf(before, held);
    const [props35, token41] = await clientValues();
    const { rolled } = await replaceAndRoll(
      prepared,
      namespaces,
      "key rotation",
      (r) => r.type === SPARK_AUTH_KEY_TYPE,
      before,
      holders,
    );
    expect(holders.length, "pods hold the derived secrets").to.be.greaterThan(0);
    expect(rolled.sort(), "exactly the holders rolled").to.deep.equal(holders);
    const [newProps35, newToken41] = await clientValues();
    expect(newProps35, "spark-35's client Secret rewritten").to.not.equal(props35);
    expect(newToken41, "spark-41's client Secret rewritten").to.not.equal(token41);
    // With the rewritten client Secrets, a job per release runs.
    const runId = newRunId();
    try {
      const jobs = await prepareFaultJobs(runId, namespaceOf);
      const runs = await Promise.all(RELEASES.map((r) => runJob(jobs, r, "rotated")));
      for (const run of runs)
        note(`after the key rotation: ${run.pod} ${run.phase} in ${run.seconds} s`);
      expect(
        runs.filter((r) => r.phase !== "Succeeded").map((r) => `${r.pod}: ${r.logTail}`),
      ).to.deep.equal([]);
    } finally {
      await deleteRun(runId, [clientNs]);
    }
  });
}
