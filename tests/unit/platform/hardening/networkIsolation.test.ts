import { expect } from "chai";
import { NetworkModel, type Endpoint } from "../../../../lib/kube/analysis/networkPolicy";
import { podModels, type PodModel } from "../../../../lib/kube/analysis/pods";
import { CLIENT_LABEL, RELEASE_LABEL, type KubeManifest } from "../../../../lib/kube/objects";
import { PORTS } from "../../../../lib/naming/names";
import { renderStack, type RenderedStack } from "../../../support/stacks";

const STACKS = ["dev", "prod"] as const;

interface NamedEndpoint extends Endpoint {
  readonly name: string;
}

const POSTGRES: NamedEndpoint = {
  name: "postgresql (spark-infra)",
  namespace: "spark-infra",
  labels: { "app.kubernetes.io/name": "postgresql" },
};
const MINIO: NamedEndpoint = {
  name: "minio (spark-infra)",
  namespace: "spark-infra",
  labels: { "app.kubernetes.io/name": "minio" },
};
const DNS: NamedEndpoint = {
  name: "kube-dns (kube-system)",
  namespace: "kube-system",
  labels: { "k8s-app": "kube-dns" },
};
/** Namespace of client pods (Airflow workers, notebooks): never one the platform manages. */
const CLIENT_NAMESPACE = "airflow";

const clientOf = (release: string): NamedEndpoint => ({
  name: `client-of ${release} (${CLIENT_NAMESPACE})`,
  namespace: CLIENT_NAMESPACE,
  labels: { app: "airflow-worker", [CLIENT_LABEL]: release },
});

const named = (pod: PodModel): NamedEndpoint => ({
  name: pod.origin,
  namespace: pod.namespace,
  labels: pod.labels,
});

/** The release an endpoint belongs to: its release label, or the release it is a client of. */
const releaseOf = (e: Endpoint) => e.labels[RELEASE_LABEL] ?? e.labels[CLIENT_LABEL];
const componentOf = (e: Endpoint) => e.labels["app.kubernetes.io/component"];
const isSpark = (e: Endpoint) => e.labels["app.kubernetes.io/name"] === "spark";

/** Every port anything listens on: all container ports of all pods plus the platform's ports. */
function allPorts(pods: readonly PodModel[]): number[] {
  const ports = new Set<number>(Object.values(PORTS));
  for (const pod of pods) {
    for (const c of pod.spec.containers) for (const p of c.ports ?? []) ports.add(p.containerPort);
  }
  return [...ports].sort((a, b) => a - b);
}

/**
 * Every way one release's pod (or client) could open a port on another release's pod.
 * Empty means the releases are isolated, whatever namespaces they share.
 */
function crossReleaseFlows(
  manifests: readonly KubeManifest[],
  endpoints: readonly NamedEndpoint[],
  ports: readonly number[],
): string[] {
  const model = new NetworkModel(manifests);
  const flows: string[] = [];
  for (const from of endpoints) {
    for (const to of endpoints) {
      if (releaseOf(from) === releaseOf(to)) continue;
      if (!to.labels[RELEASE_LABEL]) continue; // clients are not targets the platform guards
      for (const port of ports) {
        for (const protocol of ["TCP", "UDP"]) {
          if (model.canReach(from, to, port, protocol)) {
            flows.push(`${from.name} -> ${to.name}:${port}/${protocol}`);
          }
        }
      }
    }
  }
  return flows;
}

/** A NetworkPolicy that opens everything for every pod of a namespace (the classic mistake). */
function allowAll(namespace: string): KubeManifest {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "allow-everything", namespace },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}], egress: [{}] },
  } as KubeManifest;
}

for (const stackName of STACKS) {
  describe(`hardening: network isolation of the ${stackName} stack`, () => {
    let stack: RenderedStack;
    let pods: PodModel[];
    let endpoints: NamedEndpoint[];
    let ports: number[];
    let model: NetworkModel;
    const releaseNames = ["spark-35", "spark-41"];

    const podsOf = (release: string, component?: string) =>
      pods
        .filter((p) => releaseOf(p) === release && (!component || componentOf(p) === component))
        .map(named);
    const one = (release: string, component: string) => {
      const found = podsOf(release, component);
      expect(found, `${release} ${component}`).to.have.length.greaterThan(0);
      return found;
    };
    const reach = (from: Endpoint, to: Endpoint, port: number, protocol = "TCP") =>
      model.canReach(from, to, port, protocol);

    before(async () => {
      stack = await renderStack(stackName);
      pods = podModels(stack.manifests);
      endpoints = [...pods.map(named), ...releaseNames.map(clientOf)];
      ports = allPorts(pods);
      model = new NetworkModel(stack.manifests);
    });

    it("renders both releases and their NetworkPolicies", () => {
      for (const release of releaseNames) {
        expect(podsOf(release).length, release).to.be.greaterThan(3);
      }
      expect(ports).to.include.members([7077, 7078, 7079, 9083, 15002, 18080]);
    });

    it("no pod or client of one release reaches any port of a pod of the other", () => {
      expect(crossReleaseFlows(stack.manifests, endpoints, ports)).to.deep.equal([]);
    });

    it("every release pod is selected by its release's default-deny policy, both directions", () => {
      const denies = stack.manifests.filter(
        (m) => m.kind === "NetworkPolicy" && m.metadata?.name?.endsWith("-default-deny"),
      ) as (KubeManifest & {
        spec: { podSelector: { matchLabels?: Record<string, string> }; policyTypes: string[] };
      })[];
      for (const pod of pods) {
        const deny = denies.find(
          (d) =>
            d.metadata?.namespace === pod.namespace &&
            d.spec.podSelector.matchLabels?.[RELEASE_LABEL] === releaseOf(pod),
        );
        expect(deny, pod.origin).to.not.equal(undefined);
        expect(deny!.spec.policyTypes).to.have.members(["Ingress", "Egress"]);
        expect(deny!.spec).to.not.have.any.keys("ingress", "egress");
      }
    });

    it("standalone workers reach their master on 7077", () => {
      for (const worker of one("spark-35", "worker")) {
        for (const master of one("spark-35", "master")) {
          expect(reach(worker, master, PORTS.masterRpc), worker.name).to.equal(true);
        }
      }
    });

    it("executors (pod template labels) reach their driver on 7078/7079 in the Connect pod, and back", () => {
      for (const executor of one("spark-41", "executor")) {
        for (const connect of one("spark-41", "connect")) {
          expect(reach(executor, connect, PORTS.driverRpc)).to.equal(true);
          expect(reach(executor, connect, PORTS.blockManager)).to.equal(true);
          expect(reach(connect, executor, PORTS.blockManager)).to.equal(true);
        }
      }
    });

    it("Spark pods reach their own metastore on 9083, never the other release's", () => {
      for (const release of releaseNames) {
        const other = releaseNames.find((r) => r !== release)!;
        for (const spark of podsOf(release).filter(isSpark)) {
          for (const metastore of one(release, "metastore")) {
            expect(reach(spark, metastore, PORTS.metastoreThrift), spark.name).to.equal(true);
          }
          for (const foreign of one(other, "metastore")) {
            expect(reach(spark, foreign, PORTS.metastoreThrift), spark.name).to.equal(false);
          }
        }
      }
    });

    it("only the metastore and its schema-init Job reach PostgreSQL on 5432", () => {
      for (const pod of pods.map(named)) {
        const expected = ["metastore", "schema-init"].includes(componentOf(pod) ?? "");
        expect(reach(pod, POSTGRES, 5432), pod.name).to.equal(expected);
      }
    });

    it("Spark, History Server and metastore pods reach MinIO on 9000; every pod resolves DNS", () => {
      for (const pod of pods.map(named)) {
        expect(reach(pod, MINIO, 9000), pod.name).to.equal(true);
        expect(reach(pod, DNS, 53, "UDP"), pod.name).to.equal(true);
        expect(reach(pod, DNS, 53, "TCP"), pod.name).to.equal(true);
        expect(reach(pod, MINIO, 22), `${pod.name} to MinIO:22`).to.equal(false);
      }
    });

    it("a labelled client in another namespace reaches its release's master 7077 / Connect 15002; the other release's client is refused", () => {
      for (const master of one("spark-35", "master")) {
        expect(reach(clientOf("spark-35"), master, PORTS.masterRpc)).to.equal(true);
        expect(reach(clientOf("spark-41"), master, PORTS.masterRpc)).to.equal(false);
      }
      for (const connect of one("spark-41", "connect")) {
        expect(reach(clientOf("spark-41"), connect, PORTS.connectGrpc)).to.equal(true);
        expect(reach(clientOf("spark-35"), connect, PORTS.connectGrpc)).to.equal(false);
      }
      const unlabelled: Endpoint = { namespace: CLIENT_NAMESPACE, labels: { app: "x" } };
      for (const pod of pods.map(named)) {
        expect(reach(unlabelled, pod, PORTS.connectGrpc), pod.name).to.equal(false);
        expect(reach(unlabelled, pod, PORTS.masterRpc), pod.name).to.equal(false);
      }
    });

    it("a Connect client reaches only the server and the UIs, not executors or the metastore", () => {
      const client = clientOf("spark-41");
      for (const target of [...one("spark-41", "executor"), ...one("spark-41", "metastore")]) {
        for (const port of ports) expect(reach(client, target, port), target.name).to.equal(false);
      }
      for (const history of one("spark-41", "history")) {
        expect(reach(client, history, PORTS.historyUi)).to.equal(true);
      }
    });

    it("negative control: a hand-added allow-everything policy is caught by the isolation check", () => {
      const namespaces = [...new Set(pods.map((p) => p.namespace))];
      const permissive = [...stack.manifests, ...namespaces.map(allowAll)];
      const flows = crossReleaseFlows(permissive, endpoints, ports);
      expect(flows.length).to.be.greaterThan(0);
      expect(flows.join("\n")).to.match(/spark-35.*-> .*spark-41/);
      expect(flows.join("\n")).to.match(/spark-41.*-> .*spark-35/);
    });

    if (stackName === "prod") {
      it("defence in depth: an allow-everything policy in one release's namespace opens nothing between the releases' pods", () => {
        // Both ends enforce: the other release's egress still refuses. (Clients live in
        // namespaces the platform does not guard, so for them the policy would open the door.)
        const permissive = [...stack.manifests, allowAll("spark-41")];
        expect(crossReleaseFlows(permissive, pods.map(named), ports)).to.deep.equal([]);
        expect(crossReleaseFlows(permissive, endpoints, ports)).to.not.deep.equal([]);
      });
    }
  });
}
