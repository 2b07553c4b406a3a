// Routes and the pods' masquerade rule of each node's netns (pure: argument lists for `ip`
// and `iptables`, run by node/nodeNetwork.ts and node/peerLink.ts). No netns gets a
// default route: a packet leaves a node only for an address one of these routes names.
import { CLUSTER_NET, SERVICES_IP } from "../addressPlan";
import type { ClusterNode } from "./clusterNode";

/** `ip route replace` arguments (after `ip -n <netns>`), idempotent. */
export type RouteArgs = string[];

/** Routes inside a later node's netns: the shared services over its own link to the host;
 * the API server and every other node's pods over its peer link to node 1 (the node's own
 * /24 is on its bridge, more specific). Node 1 needs none: its link holds 10.201.0.1. */
export function routesInNode(node: ClusterNode, controlPlane: ClusterNode): RouteArgs[] {
  const peer = node.peer;
  if (!peer) return [];
  const via = (dst: string, gw: string, dev: string) => [
    "route",
    "replace",
    dst,
    "via",
    gw,
    "dev",
    dev,
  ];
  return [
    via(`${SERVICES_IP}/32`, node.hostIp, node.nodeIf),
    via(`${controlPlane.nodeIp}/32`, peer.controlPlaneIp, peer.nodeIf),
    via(CLUSTER_NET.podRange, peer.controlPlaneIp, peer.nodeIf),
  ];
}

/** Routes inside node 1's netns to a later node: its pods and its address (the API server
 * reaches its kubelet there for logs and exec). */
export function routesInControlPlane(node: ClusterNode): RouteArgs[] {
  const peer = node.peer;
  if (!peer) return [];
  return [node.podCidr, `${node.nodeIp}/32`].map((dst) => [
    "route",
    "replace",
    dst,
    "via",
    peer.nodeIp,
    "dev",
    peer.controlPlaneIf,
  ]);
}

export const MASQUERADE_COMMENT = "spark-platform: pods leaving the pod range";

/** The nat rule (after `iptables -t nat -A|-C`) that masquerades a node's pods to the
 * node's own address when they leave the cluster's pod range (the shared services, the
 * API server), and leaves pod-to-pod traffic between nodes alone, so NetworkPolicies see
 * the source pod's address on the other node too. It replaces the bridge plugin's
 * `ipMasq`, which exempts only the node's own /24. */
export function podMasqueradeRule(node: ClusterNode): string[] {
  return [
    "POSTROUTING",
    "-s",
    node.podCidr,
    "!",
    "-d",
    CLUSTER_NET.podRange,
    "-m",
    "comment",
    "--comment",
    MASQUERADE_COMMENT,
    "-j",
    "MASQUERADE",
  ];
}
