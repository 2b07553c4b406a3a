import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { manifestId, type KubeManifest } from "../../../../lib/kube/objects";
import { failures } from "../../../../lib/verify/result";
import { verifyObjects } from "../../../../lib/verify/run";
import {
  LIVE_CLUSTER_KINDS,
  LIVE_KINDS,
  SECRET_JSONPATH,
  collectLiveObjects,
  parseSecretListing,
  type KubectlRunner,
} from "../../../../tools/verify/live";
import { clusterObjects } from "../../../../lib/verify/objects";
import { renderStack } from "../../../support/stacks";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** kubectl output recorded from the dev stack applied to a cluster (plus two running pods). */
const FIXTURES = join(__dirname, "../../../fixtures/verify/kubectl-dev");
const recorded = (file: string) => readFileSync(join(FIXTURES, file), "utf8");

/**
 * A kubectl that answers the calls the verifier makes, from the recording, and logs them.
 * `editCluster` changes the cluster-scoped listing (the admission policies).
 */
function fakeKubectl(
  edit: (list: { items: KubeManifest[] }) => void = () => undefined,
  editCluster: (list: { items: KubeManifest[] }) => void = () => undefined,
) {
  const calls: string[][] = [];
  const run: KubectlRunner = async (args) => {
    calls.push([...args]);
    const command = args.join(" ");
    if (command === "--context kind-spark get namespaces spark -o json") {
      return recorded("namespaces.json");
    }
    if (command === `--context kind-spark get ${LIVE_CLUSTER_KINDS.join(",")} -o json`) {
      const list = JSON.parse(recorded("cluster.json")) as { items: KubeManifest[] };
      editCluster(list);
      return JSON.stringify(list);
    }
    if (command === `--context kind-spark --namespace spark get ${LIVE_KINDS.join(",")} -o json`) {
      const list = JSON.parse(recorded("spark.json")) as { items: KubeManifest[] };
      edit(list);
      return JSON.stringify(list);
    }
    if (command === `--context kind-spark --namespace spark get secrets -o ${SECRET_JSONPATH}`) {
      return recorded("spark-secrets.txt");
    }
    throw new Error(`unexpected kubectl call: ${command}`);
  };
  return { run, calls };
}

/**
 * The verifier's rows on the recording, but for `secrets-as-files`: the recording predates
 * credentials as files (its pods take the object-store keys and the metastore password as
 * env), which the last test here shows that row catching.
 */
function verifyRecording(objects: ReturnType<typeof clusterObjects>) {
  return verifyObjects(objects).filter((r) => r.check !== "secrets-as-files");
}

describe("live verification (recorded kubectl output)", () => {
  it("builds the rendered object list from kubectl, plus the running pods", async () => {
    const { run, calls } = fakeKubectl();
    const live = await collectLiveObjects(run, "kind-spark", ["spark"]);
    expect(calls).to.have.length(4);
    const { manifests } = await renderStack("dev");
    const liveIds = live.map(manifestId);
    // dev runs every component as a single replica, so it renders no PodDisruptionBudget.
    expect(manifests.filter((m) => m.kind === "PodDisruptionBudget")).to.deep.equal([]);
    // The recording predates the standalone master's recovery claim. Its RPC authentication
    // was added to it by hand (spark-defaults, the daemons' env, the Secret's listing), and
    // so was the Connect server's token over TLS (its spark-defaults' loopback binding, the
    // server pod's conf and TLS volumes, the terminator container, the Secret's listing),
    // and so was the Connect release's RPC secret file (its spark-defaults, the Secret
    // volume of the server, the executor template and the executor pod, the Secret's listing).
    // The live reading asks for namespace spark only, not for the client namespaces dev
    // creates nor the releases' client Secrets in them.
    const sinceRecording = ["PersistentVolumeClaim/spark/spark-35-master-recovery"];
    const inSpark = (m: KubeManifest) =>
      m.kind === "Namespace"
        ? m.metadata?.name === "spark"
        : (m.metadata?.namespace ?? "spark") === "spark";
    const asked = manifests.filter(inSpark);
    expect(manifests.filter((m) => !inSpark(m)).map(manifestId)).to.have.members([
      "Namespace/airflow",
      "Namespace/team-data-science",
      "Namespace/team-pipelines",
      "Secret/airflow/spark-35-spark-client",
      "Secret/team-pipelines/spark-35-spark-client",
      "Secret/airflow/spark-41-connect-client",
      "Secret/team-data-science/spark-41-connect-client",
    ]);
    expect(liveIds).to.include.members(
      asked.map(manifestId).filter((id) => !sinceRecording.includes(id)),
    );
    expect(liveIds.filter((id) => id.startsWith("Pod/"))).to.have.members([
      "Pod/spark/spark-35-worker-7d9c8b6f4-x2k9q",
      "Pod/spark/spark-41-exec-1",
    ]);
  });

  it("never asks kubectl for Secret contents", async () => {
    const { run, calls } = fakeKubectl();
    await collectLiveObjects(run, "kind-spark", ["spark"]);
    const secretCalls = calls.filter((c) => c.some((a) => a.includes("secrets")));
    expect(secretCalls).to.have.length(1);
    expect(secretCalls[0]!.at(-1)).to.match(/^jsonpath=.*\.metadata\.name.*spark-platform\\\.io/);
    expect(calls.flat().join(" ")).not.to.match(/secrets -o json( |$)/);
  });

  it("passes every check on the recorded cluster", async () => {
    const { run } = fakeKubectl();
    const results = verifyRecording(
      clusterObjects(await collectLiveObjects(run, "kind-spark", ["spark"])),
    );
    expect(failures(results)).to.deep.equal([]);
    expect(results.map((r) => r.subject)).to.include("Pod/spark/spark-41-exec-1");
  });

  it("fails a running executor pod that runs as the namespace's default account", async () => {
    const { run } = fakeKubectl((list) => {
      const exec = list.items.find(
        (m) => m.metadata?.name === "spark-41-exec-1",
      ) as KubeManifest & {
        spec: { serviceAccountName?: string };
      };
      delete exec.spec.serviceAccountName;
    });
    const results = verifyRecording(
      clusterObjects(await collectLiveObjects(run, "kind-spark", ["spark"])),
    );
    expect(failures(results).map((r) => `${r.check} ${r.subject}: ${r.detail}`)).to.deep.equal([
      "rbac-separation Pod/spark/spark-41-exec-1: runs as ServiceAccount spark/default, which does not exist",
    ]);
  });

  it("fails the recorded cluster whose allow-clients policy admits every namespace", async () => {
    const { run } = fakeKubectl((list) => {
      const policy = list.items.find((m) => m.metadata?.name === "spark-41-allow-clients") as Loose;
      policy.spec.ingress[0].from[0].namespaceSelector = {};
    });
    const results = verifyRecording(
      clusterObjects(await collectLiveObjects(run, "kind-spark", ["spark"])),
    );
    expect(failures(results).map((r) => `${r.check} ${r.subject}`)).to.deep.equal([
      "client-access release spark-41: network",
    ]);
  });

  it("fails the recorded cluster without its admission policies: the shared-namespace hole, and clients admitted anywhere", async () => {
    const { run } = fakeKubectl(undefined, (list) => {
      list.items = [];
    });
    const results = verifyRecording(
      clusterObjects(await collectLiveObjects(run, "kind-spark", ["spark"])),
    );
    const failed = failures(results);
    expect(failed.map((r) => `${r.check} ${r.subject}`)).to.deep.equal([
      "rbac-separation writes of spark/spark-41-spark",
      "client-access release spark-35: admission",
      "client-access release spark-41: admission",
    ]);
    // Running pods of the other release are named too, not only the workloads' templates.
    expect(failed[0]!.detail).to.include("Pod/spark/spark-35-worker-7d9c8b6f4-x2k9q");
    expect(failed[0]!.detail).to.include("ConfigMap/spark/spark-35-spark-defaults");
  });

  it("reads Secret ownership from the jsonpath listing", () => {
    expect(parseSecretListing("a-db\tspark-35\nstray\t\n", "spark")).to.deep.equal([
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
          name: "a-db",
          namespace: "spark",
          labels: { "spark-platform.io/release": "spark-35" },
        },
      },
      { apiVersion: "v1", kind: "Secret", metadata: { name: "stray", namespace: "spark" } },
    ]);
  });

  it("refuses an empty namespace list", async () => {
    const { run } = fakeKubectl();
    let error: Error | undefined;
    await collectLiveObjects(run, "kind-spark", []).catch((e: Error) => (error = e));
    expect(error?.message).to.include("--namespaces");
  });

  it("flags the recording's credentials in env: it predates credentials as files", async () => {
    const { run } = fakeKubectl();
    const results = verifyObjects(
      clusterObjects(await collectLiveObjects(run, "kind-spark", ["spark"])),
    );
    const flagged = failures(results).filter((r) => r.check === "secrets-as-files");
    expect(flagged.map((r) => r.subject)).to.include.members([
      "Deployment/spark/spark-35-master",
      "Deployment/spark/spark-35-metastore",
      "Deployment/spark/spark-41-connect",
    ]);
    expect(flagged.map((r) => r.detail).join("\n")).to.include("AWS_SECRET_ACCESS_KEY");
  });
});
