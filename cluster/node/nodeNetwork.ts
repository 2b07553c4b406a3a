// A node's network namespace, the veth pair to the host, its routes and the pods'
// masquerade rule (docs/local-cluster.md, "Addresses").
import * as fs from "node:fs";
import { run, runOk, succeeds } from "../support/runCommand";
import type { ClusterNode } from "./clusterNode";
import { podMasqueradeRule, routesInNode } from "./nodeRoutes";

export function netnsExists(node: ClusterNode): boolean {
  return fs.existsSync(`/run/netns/${node.netns}`);
}

export async function linkExists(name: string, netns?: string): Promise<boolean> {
  const args = netns ? ["-n", netns, "link", "show", name] : ["link", "show", name];
  return succeeds("ip", args);
}

/** Creates netns + veth with the node's addresses, its routes (a later node's need its peer
 * link, node/peerLink.ts, made after this), the pods' masquerade rule and the sysctls the
 * node needs. Idempotent. */
export async function ensureNodeNetwork(node: ClusterNode): Promise<void> {
  const inNode = (...args: string[]) => ["-n", node.netns, ...args];
  if (!netnsExists(node)) await runOk("ip", ["netns", "add", node.netns]);
  await runOk("ip", inNode("link", "set", "lo", "up"));
  if (!(await linkExists(node.hostIf))) {
    await runOk("ip", [
      "link",
      "add",
      node.hostIf,
      "type",
      "veth",
      "peer",
      "name",
      node.nodeIf,
      "netns",
      node.netns,
    ]);
  }
  const hostAddr = `${node.hostIp}/${node.prefixLen}`;
  const addrs = await runOk("ip", ["-4", "-o", "addr", "show", "dev", node.hostIf]);
  if (!addrs.includes(hostAddr)) await runOk("ip", ["addr", "add", hostAddr, "dev", node.hostIf]);
  await runOk("ip", ["link", "set", node.hostIf, "up"]);
  const nodeAddr = `${node.nodeIp}/${node.prefixLen}`;
  const nodeAddrs = await runOk("ip", inNode("-4", "-o", "addr", "show", "dev", node.nodeIf));
  if (!nodeAddrs.includes(nodeAddr)) {
    await runOk("ip", inNode("addr", "add", nodeAddr, "dev", node.nodeIf));
  }
  await runOk("ip", inNode("link", "set", node.nodeIf, "up"));
  // No default route: nothing leaves the node netns except to the host's veth address.
  // Per-netns sysctls: routing for pods, bridged pod traffic through iptables
  // (br_netfilter is built into this kernel), and local routing of Service traffic.
  for (const [k, v] of [
    ["net.ipv4.ip_forward", "1"],
    ["net.bridge.bridge-nf-call-iptables", "1"],
    ["net.bridge.bridge-nf-call-ip6tables", "1"],
    ["net.ipv4.conf.all.route_localnet", "1"],
  ] as const) {
    await runOk("ip", ["netns", "exec", node.netns, "sysctl", "-q", "-w", `${k}=${v}`]);
  }
  await ensureMasquerade(node);
}

/** Adds the pods' masquerade rule to the node netns' nat table once. */
async function ensureMasquerade(node: ClusterNode): Promise<void> {
  const rule = podMasqueradeRule(node);
  const ipt = (op: string) => ["netns", "exec", node.netns, "iptables", "-t", "nat", op, ...rule];
  if (!(await succeeds("ip", ipt("-C")))) await runOk("ip", ipt("-A"));
}

/** A later node's routes (its peer link must exist); none on node 1. */
export async function ensureNodeRoutes(
  node: ClusterNode,
  controlPlane: ClusterNode,
): Promise<void> {
  for (const route of routesInNode(node, controlPlane))
    await runOk("ip", ["-n", node.netns, ...route]);
}

/** Removes the veth (both ends) and the netns; safe when absent. */
export async function removeNodeNetwork(node: ClusterNode): Promise<void> {
  if (await linkExists(node.hostIf)) await runOk("ip", ["link", "del", node.hostIf]);
  if (netnsExists(node)) await runOk("ip", ["netns", "del", node.netns]);
}

/** Is something listening on host:port inside the node's netns? (asked with our probe binary) */
export async function listensInNetns(
  node: ClusterNode,
  probeBinary: string,
  hostPort: string,
): Promise<boolean> {
  const r = await run("ip", ["netns", "exec", node.netns, probeBinary, "tcp", hostPort]);
  return r.code === 0;
}
