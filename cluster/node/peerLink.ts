// A later node's peer link: a veth pair straight from node 1's netns to the node's netns
// (no host end, so nothing crosses the host), addressed from 10.201.1.0/24, with the
// routes on both sides (node/nodeRoutes.ts).
import { runOk } from "../support/runCommand";
import type { ClusterNode } from "./clusterNode";
import { linkExists } from "./nodeNetwork";
import { routesInControlPlane } from "./nodeRoutes";

async function ensureAddress(netns: string, dev: string, cidr: string): Promise<void> {
  const addrs = await runOk("ip", ["-n", netns, "-4", "-o", "addr", "show", "dev", dev]);
  if (!addrs.includes(cidr)) await runOk("ip", ["-n", netns, "addr", "add", cidr, "dev", dev]);
  await runOk("ip", ["-n", netns, "link", "set", dev, "up"]);
}

/** Creates the pair (both netns must exist), its addresses and node 1's routes to the
 * node; the node's own routes are node/nodeNetwork.ts's ensureNodeRoutes. Idempotent. */
export async function ensurePeerLink(controlPlane: ClusterNode, node: ClusterNode): Promise<void> {
  const peer = node.peer;
  if (!peer) return;
  if (!(await linkExists(peer.controlPlaneIf, controlPlane.netns))) {
    await runOk("ip", [
      "-n",
      controlPlane.netns,
      "link",
      "add",
      peer.controlPlaneIf,
      "type",
      "veth",
      "peer",
      "name",
      peer.nodeIf,
      "netns",
      node.netns,
    ]);
  }
  await ensureAddress(
    controlPlane.netns,
    peer.controlPlaneIf,
    `${peer.controlPlaneIp}/${peer.prefixLen}`,
  );
  await ensureAddress(node.netns, peer.nodeIf, `${peer.nodeIp}/${peer.prefixLen}`);
  for (const route of routesInControlPlane(node))
    await runOk("ip", ["-n", controlPlane.netns, ...route]);
}
