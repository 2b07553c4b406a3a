// A node of the local cluster and its addresses (docs/local-cluster.md, "Addresses").
// Node 1 also runs the control plane and the shared services' side of the link; a later
// node gets its own network namespace, veth pair to the host, /30 link and /24 pod range
// from its index, and a second veth pair straight to node 1's netns (its peer link) over
// which it reaches the API server and the other nodes' pods.

/** The veth pair between node 1's netns and a later node's netns (both ends in netns). */
export interface PeerLink {
  /** The /30 of the pair, in 10.201.1.0/24 (never routed on the host). */
  readonly cidr: string;
  readonly prefixLen: number;
  /** Node 1's end, inside node 1's netns. */
  readonly controlPlaneIf: string;
  readonly controlPlaneIp: string;
  /** This node's end, inside its own netns. */
  readonly nodeIf: string;
  readonly nodeIp: string;
}

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
  /** The CNI bridge inside the node's netns (a name of its own per node, for reading `ip`). */
  readonly bridge: string;
  /** The kubelet's cgroupRoot: node 1 keeps the top (`/kubepods`), a later node gets a
   * cgroup of its own (`/spark-node-2/kubepods`), so two kubelets never share kubepods. */
  readonly cgroupRoot: string;
  /** Value of the node label `spark-platform.io/node-pool`: pool-a, pool-b, ... */
  readonly pool: string;
  /** Link to node 1's netns; undefined on node 1 itself. */
  readonly peer: PeerLink | undefined;
}

/** 10.201.0.0/24 holds 64 links of 4 addresses; 10.244.0.0/16 as many pod /24s. */
export const MAX_NODES = 64;

/** The label tests and stacks pin workloads with (besides kubernetes.io/hostname). */
export const NODE_POOL_LABEL = "spark-platform.io/node-pool";

/** a, b, ..., z, aa, ab, ...: the pool letter(s) of a node index. */
export function poolLetters(index: number): string {
  let n = index;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(97 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function clusterNode(index: number): ClusterNode {
  if (!Number.isInteger(index) || index < 1 || index > MAX_NODES) {
    throw new Error(`node index ${index}: expected 1..${MAX_NODES}`);
  }
  const i = index - 1;
  const first = index === 1;
  const suffix = first ? "" : `-${index}`;
  const name = `spark-node${suffix}`;
  return {
    index,
    name,
    netns: name,
    hostIf: `spk-host${first ? "" : index}`,
    nodeIf: `spk-node${first ? "" : index}`,
    hostIp: `10.201.0.${4 * i + 1}`,
    nodeIp: `10.201.0.${4 * i + 2}`,
    linkCidr: `10.201.0.${4 * i}/30`,
    prefixLen: 30,
    podCidr: `10.244.${i}.0/24`,
    podGateway: `10.244.${i}.1`,
    bridge: `cni${i}`,
    cgroupRoot: first ? "/" : `/${name}`,
    pool: `pool-${poolLetters(index)}`,
    peer: first
      ? undefined
      : {
          cidr: `10.201.1.${4 * i}/30`,
          prefixLen: 30,
          controlPlaneIf: `spk-peer${index}`,
          controlPlaneIp: `10.201.1.${4 * i + 1}`,
          nodeIf: "spk-peer1",
          nodeIp: `10.201.1.${4 * i + 2}`,
        },
  };
}

/** The node `up` always starts: the control plane runs in its network namespace. */
export const FIRST_NODE = clusterNode(1);

/** Nodes 1..count. */
export function clusterNodes(count: number): ClusterNode[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_NODES) {
    throw new Error(`node count ${count}: expected 1..${MAX_NODES}`);
  }
  return Array.from({ length: count }, (_, k) => clusterNode(k + 1));
}

/** Record name of one of a node's processes: node 1 keeps the plain names (`kubelet`),
 * a later node's carry its name (`kubelet-spark-node-2`). */
export function nodeProcessName(node: ClusterNode, part: string): string {
  return node.index === 1 ? part : `${part}-${node.name}`;
}

/** An action's progress name: node 1's as always, a later node's with its name. */
export function forNode(node: ClusterNode, name: string): string {
  return node.index === 1 ? name : `${name} (${node.name})`;
}
