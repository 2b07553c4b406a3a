// Live suite (npm run test:cluster): the Connect server's narrowed egress, enforced by the
// local cluster's NetworkPolicy implementation (kube-router), in a scratch namespace of its
// own (egress-test-<run>). The NetworkPolicies are the ones our program renders for a
// Connect release there, with kubernetes.apiServerCidrs set as in Pulumi.local.yaml.
// A pod labelled as that release's Connect server must still reach the API server (through
// the `kubernetes` Service and at its endpoint) and resolve names through CoreDNS, and must
// not reach a decoy pod listening on the API port. Negative controls: with the port-only
// rule of old the decoy answers; without the DNS rule names do not resolve.
import { expect } from "chai";
import { CLUSTER_NET, CONTROL_PLANE_NODE } from "../../cluster/addressPlan";
import {
  networkPolicyList,
  releaseNetworkPolicies,
} from "../../components/spark-release/networkPolicies";
import {
  containerSecurityContext,
  podSecurityContext,
  releaseLabels,
} from "../../lib/kube/objects";
import { SPARK_UID } from "../../lib/spark/versions";
import { baseValues, parseValid, rawConfig } from "../support/stacks";
import { createObjects, kubectlWithInput, outcome } from "./rbacSupport";
import { RUN, kubectl, note, waitUntil } from "./support";

const NS = `egress-test-${RUN}`;
const API_CIDRS = [`${CONTROL_PLANE_NODE.nodeIp}/32`, `${CLUSTER_NET.kubernetesServiceIp}/32`];
const IMAGE = "apache/spark:4.1.0-scala2.13-java21-python3-ubuntu";

const configWith = (apiServerCidrs: string[]) =>
  parseValid(
    rawConfig({
      ...baseValues(),
      sharedNamespace: NS,
      jars: { source: "image" },
      kubernetes: apiServerCidrs.length ? { apiServerCidrs } : {},
    }),
  );
const narrowed = configWith(API_CIDRS);
const connect41 = narrowed.releases.find((r) => r.name === "spark-41")!;
const policiesOf = (apiServerCidrs: string[]) =>
  networkPolicyList(
    releaseNetworkPolicies(
      configWith(apiServerCidrs),
      configWith(apiServerCidrs).releases.find((r) => r.name === "spark-41")!,
    ),
  );

function pod(name: string, labels: Record<string, string>, args: string[]): object {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: NS, labels },
    spec: {
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: podSecurityContext(SPARK_UID),
      containers: [
        {
          name: "main",
          image: IMAGE,
          imagePullPolicy: "Never",
          command: ["python3", "-c"],
          args,
          securityContext: containerSecurityContext(),
          resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
        },
      ],
    },
  };
}

/** Exit 0 when the Connect-labelled pod opens host:port within 3 s. */
const connects = (host: string, port: number) =>
  kubectl(
    [
      "exec",
      "-n",
      NS,
      "connect",
      "--",
      "python3",
      "-c",
      `import socket; socket.create_connection(("${host}", ${port}), 3).close()`,
    ],
    true,
  );

const resolves = (name: string) =>
  kubectl(
    [
      "exec",
      "-n",
      NS,
      "connect",
      "--",
      "python3",
      "-c",
      `import socket; socket.getaddrinfo("${name}", 443)`,
    ],
    true,
  );

/** Applies (replaces) NetworkPolicies. */
const applyPolicies = async (policies: readonly object[]) => {
  const result = await kubectlWithInput(
    ["apply", "-f", "-"],
    JSON.stringify({ apiVersion: "v1", kind: "List", items: policies }),
  );
  expect(result.code, result.stderr).to.equal(0);
};

/** Polls a probe until it gives the expected outcome (kube-router applies rules in a moment). */
const eventually = (what: string, probe: () => Promise<{ code: number }>, ok: boolean) =>
  waitUntil(
    what,
    60_000,
    async () => {
      const r = await probe();
      return (r.code === 0) === ok ? undefined : `exit ${r.code}`;
    },
    1000,
  );

describe(`live: the Connect server's egress, narrowed (namespace ${NS})`, function () {
  this.timeout(8 * 60_000);
  let decoyIp = "";

  before(async () => {
    await kubectl(["create", "namespace", NS]);
    const created = await createObjects([
      pod("connect", releaseLabels(connect41, "connect"), ["import time; time.sleep(3600)"]),
      // Not a release pod: nothing selects it, it answers anyone on the API port.
      pod("decoy", { app: "egress-decoy" }, [
        `import http.server; http.server.HTTPServer(("", ${CLUSTER_NET.apiPort}), http.server.BaseHTTPRequestHandler).serve_forever()`,
      ]),
    ]);
    expect(created.code, created.stderr).to.equal(0);
    await kubectl([
      "wait",
      "-n",
      NS,
      "--for=condition=Ready",
      "pod/connect",
      "pod/decoy",
      "--timeout=180s",
    ]);
    decoyIp = (
      await kubectl(["get", "pod", "decoy", "-n", NS, "-o", "jsonpath={.status.podIP}"])
    ).stdout.trim();
    // Before any policy the decoy answers: it listens, so a refusal later is the policy's.
    await eventually(
      "decoy reachable without policies",
      () => connects(decoyIp, CLUSTER_NET.apiPort),
      true,
    );
    await applyPolicies(policiesOf(API_CIDRS));
  });

  after(async () => {
    await kubectl(["delete", "namespace", NS, "--ignore-not-found", "--wait=false"], true);
  });

  it("the rendered allow-kube-api names the API server's addresses", () => {
    const kubeApi = policiesOf(API_CIDRS).find(
      (p) => p.metadata?.name === "spark-41-allow-kube-api",
    )!;
    expect(kubeApi.spec?.egress?.[0]?.to).to.deep.equal(
      API_CIDRS.map((cidr) => ({ ipBlock: { cidr } })),
    );
  });

  it("reaches the API server through the kubernetes Service and at its endpoint", async () => {
    await eventually("API via Service", () => connects(CLUSTER_NET.kubernetesServiceIp, 443), true);
    const endpoint = await connects(CONTROL_PLANE_NODE.nodeIp, CLUSTER_NET.apiPort);
    expect(endpoint.code, outcome(endpoint)).to.equal(0);
  });

  it("resolves names through the CoreDNS pods (DNS rule limited to k8s-app=kube-dns)", async () => {
    await eventually("DNS", () => resolves("kubernetes.default.svc.cluster.local"), true);
  });

  it("no longer reaches another address on the API port", async () => {
    await eventually("decoy blocked", () => connects(decoyIp, CLUSTER_NET.apiPort), false);
  });

  it("negative control: with the port-only rule of old the decoy answers again", async () => {
    await applyPolicies(policiesOf([]));
    await eventually(
      "decoy reachable with the port-only rule",
      () => connects(decoyIp, CLUSTER_NET.apiPort),
      true,
    );
    await applyPolicies(policiesOf(API_CIDRS));
    await eventually("decoy blocked again", () => connects(decoyIp, CLUSTER_NET.apiPort), false);
  });

  it("negative control: without the DNS rule names do not resolve", async () => {
    await kubectl(["delete", "networkpolicy", "spark-41-allow-dns", "-n", NS]);
    await eventually("DNS blocked", () => resolves("kubernetes.default.svc.cluster.local"), false);
    await applyPolicies(policiesOf(API_CIDRS));
    await eventually("DNS back", () => resolves("kubernetes.default.svc.cluster.local"), true);
    note(`${NS}: Connect egress limited to ${API_CIDRS.join(", ")} and the CoreDNS pods`);
  });
});
