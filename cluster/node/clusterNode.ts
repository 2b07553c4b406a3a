// A node of the local cluster and its addresses (docs/local-cluster.md, "Addresses").
// Node 1 also runs the control plane and the shared services' side of the link; a later
// node gets its own network namespace, veth pair, /30 link and /24 pod range from its index.

export interface ClusterNode {
  /** 1 for the node that also runs the control plane; 2, 3, ... for nodes joined to it. */
  readonly index: number;
  /** Kubernetes node name (kubelet --hostname-override, certificate subjects). */
  readonly name: string;
  /** Network namespace under /run/netns. */
  readonly netns: string;
  /** Host end of the veth pair. */
  readonly hostIf: string;
  /** Node end of the veth pair (inside the netns). */
  readonly nodeIf: string;
  /** The host's address on this node's link. */
  readonly hostIp: string;
  /** The node's address: kubelet, kube-proxy, and on node 1 the API server. */
  readonly nodeIp: string;
  /** The /30 of the veth pair. */
  readonly linkCidr: string;
  readonly prefixLen: number;
  /** This node's pods (the kubelet's podCIDR, the bridge CNI's range). */
  readonly podCidr: string;
  /** The bridge's address, the pods' gateway. */
  readonly podGateway: string;
  /** The CNI bridge; one per node netns, so every node may use the same name. */
  readonly bridge: string;
}

/** 10.201.0.0/24 holds 64 links of 4 addresses; 10.244.0.0/16 as many pod /24s. */
export const MAX_NODES = 64;

export function clusterNode(index: number): ClusterNode {
  if (!Number.isInteger(index) || index < 1 || index > MAX_NODES) {
    throw new Error(`node index ${index}: expected 1..${MAX_NODES}`);
  }
  const i = index - 1;
  const suffix = index === 1 ? "" : `-${index}`;
  return {
    index,
    name: `spark-node${suffix}`,
    netns: `spark-node${suffix}`,
    hostIf: `spk-host${index === 1 ? "" : index}`,
    nodeIf: `spk-node${index === 1 ? "" : index}`,
    hostIp: `10.201.0.${4 * i + 1}`,
    nodeIp: `10.201.0.${4 * i + 2}`,
    linkCidr: `10.201.0.${4 * i}/30`,
    prefixLen: 30,
    podCidr: `10.244.${i}.0/24`,
    podGateway: `10.244.${i}.1`,
    bridge: "cni0",
  };
}

/** The node `up` starts today: the control plane runs in its network namespace. */
export const FIRST_NODE = clusterNode(1);
