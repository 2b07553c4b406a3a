// The cluster-wide address plan (docs/local-cluster.md, "Addresses"); what belongs to one
// node (netns, veth, node IP, pod range) is node/clusterNode.ts.
import { FIRST_NODE } from "./node/clusterNode";

export const CLUSTER_NET = {
  /** Every pod of the cluster (controller-manager --cluster-cidr, kube-proxy, pg_hba):
   * today exactly node 1's range; a second node needs it widened. */
  podRange: FIRST_NODE.podCidr,
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

/** PostgreSQL, MinIO and the Maven mirror listen on the host's end of node 1's link. */
export const SERVICES_IP = FIRST_NODE.hostIp;
