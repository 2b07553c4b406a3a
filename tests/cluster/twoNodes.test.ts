// Live suite (npm run test:cluster): the two nodes of `npm run cluster -- up --nodes 2`
// working as one cluster, in a scratch namespace (two-nodes-<run>). A pod pinned to each
// node: TCP between them at their pod addresses, names resolved from node 2, a Service
// whose pod is on the other node (kube-proxy of each node), logs and exec through the API
// server to node 2's kubelet; a NetworkPolicy admitting into node 2's pod only node 1's
// first pod: that pod still connects (its address crossed the nodes unchanged), a second
// pod on node 1 is blocked, at the pod and at its Service (the negative control), and
// connects again once the policy is gone; a
// Deployment spread over both nodes with a PodDisruptionBudget: `kubectl drain
// spark-node-2` is refused while the budget allows no disruption, completes within the
// budget once it allows one, and the node is uncordoned. Skipped on a one-node cluster.
import { expect } from "chai";
import { FIRST_NODE, clusterNode } from "../../cluster/node/clusterNode";
import { inCidr } from "../../cluster/cleanup/leftoverParsing";
import { kubectlWithInput, outcome } from "./rbacSupport";
import { RUN, kubectl, note, waitUntil } from "./support";
import {
  connectScript,
  onlyFrom,
  readyNodes,
  resolveScript,
  serverPod,
  SERVER_PORT,
  SERVICE_PORT,
  sideService,
  spreadBudget,
  spreadDeployment,
  SPREAD_APP,
} from "./twoNodeObjects";

const NS = `two-nodes-${RUN}`;
const SECOND = clusterNode(2);
/** Sides a and c run on node 1, side b on node 2. */
const NODE_OF = { a: FIRST_NODE, b: SECOND, c: FIRST_NODE } as const;

const apply = async (objects: readonly object[]) => {
  const r = await kubectlWithInput(
    ["apply", "-f", "-"],
    JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }),
  );
  expect(r.code, r.stderr).to.equal(0);
};

const python = (pod: string, script: string) =>
  kubectl(["exec", "-n", NS, pod, "--", "python3", "-c", script], true);

/** Polls a connection until it gives the expected outcome (kube-router applies a policy's
 * rules a moment after it is created or deleted). */
const eventually = (what: string, from: string, host: string, port: number, ok: boolean) =>
  waitUntil(
    what,
    60_000,
    async () => {
      const r = await python(from, connectScript(host, port));
      return (r.code === 0) === ok ? undefined : outcome(r);
    },
    1000,
  );

const podIp = async (pod: string) =>
  (await kubectl(["get", "pod", pod, "-n", NS, "-o", "jsonpath={.status.podIP}"])).stdout.trim();

interface PodItem {
  metadata: { name: string; deletionTimestamp?: string };
  spec?: { nodeName?: string };
  status?: { conditions?: { type: string; status: string }[] };
}

/** The spread Deployment's pods (not terminating): name, node, Ready. */
async function spreadPods(): Promise<{ name: string; node: string; ready: boolean }[]> {
  const r = await kubectl(["get", "pods", "-n", NS, "-l", `app=${SPREAD_APP}`, "-o", "json"]);
  return (JSON.parse(r.stdout) as { items: PodItem[] }).items
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => ({
      name: p.metadata.name,
      node: p.spec?.nodeName ?? "",
      ready: (p.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
    }));
}

describe(`live: two nodes, one cluster (namespace ${NS})`, function () {
  this.timeout(10 * 60_000);
  const started = Date.now();

  before(async function () {
    const nodes = readyNodes(
      (JSON.parse((await kubectl(["get", "nodes", "-o", "json"])).stdout) as { items: [] }).items,
    );
    if (!nodes.includes(SECOND.name)) {
      note(
        `skipped: the cluster has no Ready ${SECOND.name} (nodes: ${nodes.join(", ")}); ` +
          "npm run cluster -- up --nodes 2",
      );
      this.skip();
    }
    await kubectl(["create", "namespace", NS]);
    await apply([
      serverPod(NS, "a", NODE_OF.a.name),
      serverPod(NS, "b", NODE_OF.b.name),
      serverPod(NS, "c", NODE_OF.c.name),
      sideService(NS, "a"),
      sideService(NS, "b"),
    ]);
    await kubectl([
      "wait",
      "-n",
      NS,
      "--for=condition=Ready",
      "pod/web-a",
      "pod/web-b",
      "pod/web-c",
      "--timeout=180s",
    ]);
  });

  after(async function () {
    await kubectl(["uncordon", SECOND.name], true);
    await kubectl(["delete", "namespace", NS, "--ignore-not-found", "--wait=false"], true);
    note(`two-node checks took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });

  it("places a pod on each node, each with an address of its node's pod range", async () => {
    for (const side of ["a", "b", "c"] as const) {
      const node = (
        await kubectl(["get", "pod", `web-${side}`, "-n", NS, "-o", "jsonpath={.spec.nodeName}"])
      ).stdout.trim();
      expect(node, `web-${side}`).to.equal(NODE_OF[side].name);
      expect(inCidr(await podIp(`web-${side}`), NODE_OF[side].podCidr), `web-${side}`).to.equal(
        true,
      );
    }
  });

  it("connects over TCP between the nodes at the pods' own addresses, both ways", async () => {
    const [a, b] = [await podIp("web-a"), await podIp("web-b")];
    await eventually("node 1 -> node 2", "web-a", b, SERVER_PORT, true);
    await eventually("node 2 -> node 1", "web-b", a, SERVER_PORT, true);
  });

  it("resolves names from node 2 and reaches a Service whose pod is on the other node", async () => {
    const resolved = await python("web-b", resolveScript(`web-a.${NS}.svc`));
    expect(resolved.code, outcome(resolved)).to.equal(0);
    const kubernetes = await python("web-b", resolveScript("kubernetes.default.svc"));
    expect(kubernetes.stdout.trim()).to.equal("10.96.0.1");
    await eventually("node 2 -> Service web-a", "web-b", `web-a.${NS}.svc`, SERVICE_PORT, true);
    await eventually("node 1 -> Service web-b", "web-a", `web-b.${NS}.svc`, SERVICE_PORT, true);
  });

  it("reads logs of and runs a command in a pod on node 2 (API server -> node 2's kubelet)", async () => {
    const logs = await kubectl(["logs", "-n", NS, "web-b"], true);
    expect(logs.code, outcome(logs)).to.equal(0);
    const hostname = await kubectl(["exec", "-n", NS, "web-b", "--", "hostname"], true);
    expect(hostname.stdout.trim()).to.equal("web-b");
  });

  it("a NetworkPolicy admits node 1's pod a into node 2's pod by its address and blocks pod c; lifted, c connects again", async () => {
    const [a, b] = [await podIp("web-a"), await podIp("web-b")];
    await eventually("c -> b before any policy", "web-c", b, SERVER_PORT, true);
    await apply([onlyFrom(NS, "b", "a")]);
    await eventually("c -> b blocked", "web-c", b, SERVER_PORT, false);
    await eventually("c -> Service web-b blocked", "web-c", `web-b.${NS}.svc`, SERVICE_PORT, false);
    // Admitted by pod selector, so its address reached node 2 unchanged (no masquerade).
    await eventually("a -> b admitted", "web-a", b, SERVER_PORT, true);
    await eventually("a -> Service web-b admitted", "web-a", `web-b.${NS}.svc`, SERVICE_PORT, true);
    // Only ingress into b is limited: b still reaches node 1, and c still connects at all.
    await eventually("b -> a open", "web-b", a, SERVER_PORT, true);
    await eventually("c -> a open", "web-c", a, SERVER_PORT, true);
    await kubectl(["delete", "networkpolicy", "into-b-only-from-a", "-n", NS]);
    await eventually("c -> b open again", "web-c", b, SERVER_PORT, true);
  });

  it("kubectl drain spark-node-2 keeps the PodDisruptionBudget: refused at minAvailable 2, done within it at 1", async () => {
    await apply([spreadDeployment(NS), spreadBudget(NS, 2)]);
    await waitUntil(
      "one Ready replica per node",
      180_000,
      async () => {
        const pods = await spreadPods();
        const nodes = new Set(pods.filter((p) => p.ready).map((p) => p.node));
        return nodes.size === 2 ? undefined : JSON.stringify(pods);
      },
      2000,
    );
    const onSecond = (await spreadPods()).find((p) => p.node === SECOND.name)!.name;
    const drain = (timeout: string) =>
      kubectl(
        [
          "drain",
          SECOND.name,
          `--pod-selector=app=${SPREAD_APP}`,
          "--delete-emptydir-data",
          `--timeout=${timeout}`,
        ],
        true,
      );

    const refused = await drain("20s");
    expect(refused.code, "drain with minAvailable 2").to.not.equal(0);
    expect(refused.stderr + refused.stdout).to.match(/disruption budget/i);
    expect((await spreadPods()).map((p) => p.name)).to.include(onSecond);

    await apply([spreadBudget(NS, 1)]);
    let fewestReady = 2;
    let draining = true;
    const watch = (async () => {
      while (draining) {
        fewestReady = Math.min(fewestReady, (await spreadPods()).filter((p) => p.ready).length);
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    const done = await drain("120s");
    draining = false;
    await watch;
    expect(done.code, outcome(done)).to.equal(0);
    expect(done.stdout + done.stderr).to.contain(`${onSecond} evicted`);
    expect(fewestReady, "Ready replicas while draining").to.be.at.least(1);
    const after = await spreadPods();
    expect(after.map((p) => p.name)).to.not.include(onSecond);
    expect(after.filter((p) => p.node === FIRST_NODE.name && p.ready)).to.have.length(1);

    await kubectl(["uncordon", SECOND.name]);
    await waitUntil(
      "the replica back on spark-node-2",
      180_000,
      async () => {
        const pods = await spreadPods();
        return pods.some((p) => p.node === SECOND.name && p.ready)
          ? undefined
          : JSON.stringify(pods);
      },
      2000,
    );
    note(`${NS}: drain of ${SECOND.name} evicted ${onSecond} within the budget; uncordoned`);
  });
});
