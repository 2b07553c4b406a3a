import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyEgressRule } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import type { INetworkPolicyPort } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort";
import type { PlatformConfig, ReleaseConfig } from "../../lib/config/model";
import {
  CLIENT_LABEL,
  RELEASE_LABEL,
  releaseMetadata,
  type Component,
} from "../../lib/kube/objects";
import { downloadingPods } from "../../lib/jars/plan";
import { PORTS, type NetworkPolicyPurpose } from "../../lib/naming/names";
import { metricsEndpoints } from "../../lib/spark/metrics";

const SOURCE = "components/spark-release/networkPolicies.ts";

/**
 * Where a host named in config lives, as a NetworkPolicy peer: an in-cluster Service
 * (`name.namespace.svc`) becomes its namespace, an IP becomes an ipBlock, anything else
 * (an external DNS name) cannot be expressed as a peer and is limited by port only.
 */
export function peerForHost(
  host: string,
  egressCidrs: readonly string[] = [],
): INetworkPolicyPeer[] | undefined {
  // Explicit CIDRs win: a selector-less Service pointing outside the cluster has no pods
  // in its namespace, so a namespace peer would match nothing after the Service's DNAT.
  if (egressCidrs.length) return egressCidrs.map((cidr) => ({ ipBlock: { cidr } }));
  const service = /^[a-z0-9-]+\.([a-z0-9-]+)\.svc(\.[a-z0-9.-]+)?$/.exec(host);
  if (service) {
    return [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": service[1]! } } }];
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return [{ ipBlock: { cidr: `${host}/32` } }];
  return undefined;
}

function policy(
  release: ReleaseConfig,
  purpose: NetworkPolicyPurpose,
  spec: INetworkPolicy["spec"],
): INetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: releaseMetadata(
      release,
      "spark",
      release.names.networkPolicy(purpose),
      `${SOURCE}#releaseNetworkPolicies`,
    ),
    spec,
  };
}

/** The cluster DNS pods (CoreDNS keeps kube-dns's label in kubeadm, kind, minikube, EKS, GKE, AKS). */
export const CLUSTER_DNS = {
  namespace: "kube-system",
  podLabels: { "k8s-app": "kube-dns" },
} as const;

/** Egress to the cluster DNS pods only, not to every pod of kube-system. */
export function clusterDnsEgress(): INetworkPolicyEgressRule {
  return {
    to: [
      {
        namespaceSelector: {
          matchLabels: { "kubernetes.io/metadata.name": CLUSTER_DNS.namespace },
        },
        podSelector: { matchLabels: { ...CLUSTER_DNS.podLabels } },
      },
    ],
    ports: [
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ],
  };
}

/**
 * What a client of a Connect release reaches: the server's gRPC and UI ports and the
 * History Server's UI, on those pods of the release only.
 */
export function connectClientTarget(release: ReleaseConfig): {
  pods: ReturnType<typeof componentPods>;
  ports: INetworkPolicyPort[];
} {
  return {
    pods: componentPods(release, ["connect", "history"]),
    ports: [PORTS.connectGrpc, PORTS.driverUi, PORTS.historyUi].map((port) => ({
      protocol: "TCP" as const,
      port,
    })),
  };
}

const releasePods = (release: ReleaseConfig) => ({
  matchLabels: { [RELEASE_LABEL]: release.name },
});

const componentPods = (release: ReleaseConfig, components: Component[]) => ({
  matchLabels: { [RELEASE_LABEL]: release.name },
  matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: components }],
});

/** The policies every release has; the others depend on its mode and configuration. */
type EveryReleasePurpose =
  | "default-deny"
  | "allow-dns"
  | "allow-intra-release"
  | "allow-object-store";

/** A release's NetworkPolicies (manifests, or the resources made of them) by purpose. */
export type ReleaseNetworkPolicies<P = INetworkPolicy> = Readonly<
  Record<EveryReleasePurpose, P> &
    Partial<Record<Exclude<NetworkPolicyPurpose, EveryReleasePurpose>, P>>
>;

/** The same policies by purpose, each made into something else (its Pulumi resource). */
export function mapNetworkPolicies<P, Q>(
  policies: ReleaseNetworkPolicies<P>,
  convert: (policy: P) => Q,
): ReleaseNetworkPolicies<Q> {
  const entries = Object.entries(policies) as [NetworkPolicyPurpose, P][];
  // Same keys, converted values: the shape (which purposes exist) carries over as it is.
  return Object.fromEntries(
    entries.map(([purpose, policy]) => [purpose, convert(policy)]),
  ) as unknown as ReleaseNetworkPolicies<Q>;
}

/** The policies as a list, in the order they are built (and registered). */
export function networkPolicyList<P>(policies: ReleaseNetworkPolicies<P>): P[] {
  return Object.values(policies).filter((policy): policy is P => policy !== undefined);
}

/**
 * Client pods as NetworkPolicy peers: pods labelled `spark-platform.io/client-of:
 * <release>` in the namespaces `releases[].clients` grants, one peer per namespace, each
 * pinned by name. Never `namespaceSelector: {}`: the label alone is something anyone who
 * can start a pod anywhere could set. (Which ServiceAccounts may carry the label is the
 * client admission policy's part: a NetworkPolicy cannot see accounts.)
 */
export function clientPeers(release: ReleaseConfig): INetworkPolicyPeer[] {
  return release.clients.map((grant) => ({
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": grant.namespace } },
    podSelector: { matchLabels: { [CLIENT_LABEL]: release.name } },
  }));
}

/**
 * The release's `allow-clients` policy, or none when it grants no client: a policy that
 * admits nothing would only read as if something were allowed (default-deny already
 * isolates the pods). Its name stays `<release>-allow-clients` whenever it exists.
 */
function allowClients(release: ReleaseConfig): INetworkPolicy | undefined {
  const clients = clientPeers(release);
  if (clients.length === 0) return undefined;
  if (release.mode === "standalone") {
    // A standalone client runs the driver itself: it talks to the master, to executors
    // inside the workers (on ports Spark picks at random) and to the metastore, and
    // executors connect back to it. So clients reach every pod of the release.
    return policy(release, "allow-clients", {
      podSelector: releasePods(release),
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: clients }],
      egress: [{ to: clients }],
    });
  }
  // A Connect client only speaks gRPC to the server (and reads the UIs): executors and the
  // metastore stay reachable from inside the release alone.
  const target = connectClientTarget(release);
  return policy(release, "allow-clients", {
    podSelector: target.pods,
    policyTypes: ["Ingress"],
    ingress: [{ from: clients, ports: target.ports }],
  });
}

/**
 * The release's `allow-metrics` policy when monitoring is on: TCP to the metrics ports of
 * the scrapeable workloads (lib/spark/metrics.ts), from the monitoring namespace only,
 * pinned by name. One policy selects every such workload, so each is open on the union of
 * their ports; nothing else listens there (Spark binds its other ports, executors' too,
 * either to fixed numbers elsewhere or to ephemeral ones).
 */
export function allowMetrics(
  config: PlatformConfig,
  release: ReleaseConfig,
): INetworkPolicy | undefined {
  if (!config.monitoring) return undefined;
  const endpoints = metricsEndpoints(release);
  const ports = [...new Set(endpoints.map((e) => e.port))].sort((a, b) => a - b);
  return policy(release, "allow-metrics", {
    podSelector: componentPods(
      release,
      endpoints.map((e) => e.component),
    ),
    policyTypes: ["Ingress"],
    ingress: [
      {
        from: [
          {
            namespaceSelector: {
              matchLabels: { "kubernetes.io/metadata.name": config.monitoring.namespace },
            },
          },
        ],
        ports: ports.map((port) => ({ protocol: "TCP", port })),
      },
    ],
  });
}

/**
 * A release's NetworkPolicies: deny everything, then allow only the flows the release
 * needs. Every policy selects pods by the release label, never by namespace alone, so
 * releases sharing the dev namespace are as separated as releases in their own.
 */
export function releaseNetworkPolicies(
  config: PlatformConfig,
  release: ReleaseConfig,
): ReleaseNetworkPolicies {
  const sameRelease: INetworkPolicyPeer = { podSelector: releasePods(release) };
  const store = config.objectStore;

  const everyRelease: Record<EveryReleasePurpose, INetworkPolicy> = {
    "default-deny": policy(release, "default-deny", {
      podSelector: releasePods(release),
      policyTypes: ["Ingress", "Egress"],
    }),
    // DNS to the cluster DNS pods only, not to every pod of kube-system.
    "allow-dns": policy(release, "allow-dns", {
      podSelector: releasePods(release),
      policyTypes: ["Egress"],
      egress: [clusterDnsEgress()],
    }),
    // Workers and master, driver and executors, Spark and its metastore: all one release.
    "allow-intra-release": policy(release, "allow-intra-release", {
      podSelector: releasePods(release),
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: [sameRelease] }],
      egress: [{ to: [sameRelease] }],
    }),
    "allow-object-store": policy(release, "allow-object-store", {
      podSelector: releasePods(release),
      policyTypes: ["Egress"],
      egress: [
        {
          ...(peerForHost(store.host, store.egressCidrs)
            ? { to: peerForHost(store.host, store.egressCidrs)! }
            : {}),
          ports: [{ protocol: "TCP", port: store.port }],
        },
      ],
    }),
  };
  const conditional: Partial<
    Record<Exclude<NetworkPolicyPurpose, EveryReleasePurpose>, INetworkPolicy>
  > = {};
  const clients = allowClients(release);
  if (clients) conditional["allow-clients"] = clients;
  if (release.metastore.enabled) {
    const pg = config.postgres;
    conditional["allow-postgres"] = policy(release, "allow-postgres", {
      podSelector: componentPods(release, ["metastore", "schema-init"]),
      policyTypes: ["Egress"],
      egress: [
        {
          ...(peerForHost(pg.host, pg.egressCidrs)
            ? { to: peerForHost(pg.host, pg.egressCidrs)! }
            : {}),
          ports: [{ protocol: "TCP", port: pg.port }],
        },
      ],
    });
  }
  if (release.mode === "connect") {
    // The API server is reached through the `kubernetes` Service; CNIs see the endpoint
    // port (often 6443) after DNAT, so both ports are allowed. With
    // kubernetes.apiServerCidrs (the Service IP and the endpoints) only those addresses;
    // without, any address on those ports, which the verifier reports (network-egress).
    const ports = [...new Set([config.kubernetes.apiServerPort, 443, 6443])];
    const cidrs = config.kubernetes.apiServerCidrs;
    conditional["allow-kube-api"] = policy(release, "allow-kube-api", {
      podSelector: componentPods(release, ["connect"]),
      policyTypes: ["Egress"],
      egress: [
        {
          ...(cidrs.length ? { to: cidrs.map((cidr) => ({ ipBlock: { cidr } })) } : {}),
          ports: ports.map((port) => ({ protocol: "TCP", port })),
        },
      ],
    });
  }
  const downloading = downloadingPods(config, release);
  if (downloading.length > 0) {
    // Only the pods whose init container fetches jars (lib/jars/plan.ts) reach the
    // repository, on its port: Maven Central is a DNS name (port only); a mirror behind a
    // selector-less Service needs jars.egressCidrs, as a namespace peer would match nothing.
    const jars = config.jars;
    const peers = peerForHost(jars.host, jars.egressCidrs);
    conditional["allow-jar-repository"] = policy(release, "allow-jar-repository", {
      podSelector: componentPods(release, downloading),
      policyTypes: ["Egress"],
      egress: [{ ...(peers ? { to: peers } : {}), ports: [{ protocol: "TCP", port: jars.port }] }],
    });
  }
  const metrics = allowMetrics(config, release);
  if (metrics) conditional["allow-metrics"] = metrics;
  return { ...everyRelease, ...conditional };
}
