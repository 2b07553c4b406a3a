// The cluster-wide address plan (docs/local-cluster.md, "Addresses"); what belongs to one
// node (netns, veth, node IP, pod range, peer link) is node/clusterNode.ts.
import { FIRST_NODE } from "./node/clusterNode";

export const CLUSTER_NET = {
  /** Every pod of the cluster, all nodes' /24s (controller-manager --cluster-cidr,
   * kube-proxy, pg_hba, the pods' masquerade exemption). */
  podRange: "10.244.0.0/16",
  /** Every node's link to the host (node n: 10.201.0.(4n-4)/30). */
  nodeLinkRange: "10.201.0.0/24",
  /** Every later node's peer link to node 1 (node n: 10.201.1.(4n-4)/30). */
  peerLinkRange: "10.201.1.0/24",
  serviceCidr: "10.96.0.0/16",
  kubernetesServiceIp: "10.96.0.1",
  dnsServiceIp: "10.96.0.10",
  clusterDomain: "cluster.local",
  apiPort: 6443,
  pgPort: 5432,
  minioPort: 9000,
  mirrorPort: 8081,
} as const;

/** The node whose network namespace runs etcd and the control plane. */
export const CONTROL_PLANE_NODE = FIRST_NODE;

export const API_SERVER_URL = `https://${CONTROL_PLANE_NODE.nodeIp}:${CLUSTER_NET.apiPort}`;

/** PostgreSQL, MinIO and the Maven mirror listen on the host's end of node 1's link; a
 * later node reaches that address over its own link to the host (a route in its netns,
 * the host delivers it locally: no forwarding on the host). */
export const SERVICES_IP = FIRST_NODE.hostIp;
