// The node's network namespace and the veth pair to the host (notes/addresses.md).
import * as fs from "node:fs";
import { runOk, succeeds } from "../support/runCommand";
import { NET } from "../addressPlan";

const ns = (...args: string[]) => ["netns", "exec", NET.netns, ...args];

export function netnsExists(): boolean {
  return fs.existsSync(`/run/netns/${NET.netns}`);
}

export async function linkExists(name: string, inNetns = false): Promise<boolean> {
  const args = inNetns ? ["-n", NET.netns, "link", "show", name] : ["link", "show", name];
  return succeeds("ip", args);
}

/** Creates netns + veth with the plan's addresses; sysctls the node needs. Idempotent. */
export async function ensureNodeNetwork(): Promise<void> {
  if (!netnsExists()) await runOk("ip", ["netns", "add", NET.netns]);
  await runOk("ip", ["-n", NET.netns, "link", "set", "lo", "up"]);
  if (!(await linkExists(NET.hostIf))) {
    await runOk("ip", [
      "link",
      "add",
      NET.hostIf,
      "type",
      "veth",
      "peer",
      "name",
      NET.nodeIf,
      "netns",
      NET.netns,
    ]);
  }
  const addrs = await runOk("ip", ["-4", "-o", "addr", "show", "dev", NET.hostIf]);
  if (!addrs.includes(`${NET.hostIp}/${NET.prefixLen}`)) {
    await runOk("ip", ["addr", "add", `${NET.hostIp}/${NET.prefixLen}`, "dev", NET.hostIf]);
  }
  await runOk("ip", ["link", "set", NET.hostIf, "up"]);
  const nodeAddrs = await runOk("ip", [
    "-n",
    NET.netns,
    "-4",
    "-o",
    "addr",
    "show",
    "dev",
    NET.nodeIf,
  ]);
  if (!nodeAddrs.includes(`${NET.nodeIp}/${NET.prefixLen}`)) {
    await runOk("ip", [
      "-n",
      NET.netns,
      "addr",
      "add",
      `${NET.nodeIp}/${NET.prefixLen}`,
      "dev",
      NET.nodeIf,
    ]);
  }
  await runOk("ip", ["-n", NET.netns, "link", "set", NET.nodeIf, "up"]);
  // No default route: nothing leaves the node netns except to the host's veth address.
  // Per-netns sysctls: routing for pods, bridged pod traffic through iptables
  // (br_netfilter is built into this kernel), and local routing of Service traffic.
  for (const [k, v] of [
    ["net.ipv4.ip_forward", "1"],
    ["net.bridge.bridge-nf-call-iptables", "1"],
    ["net.bridge.bridge-nf-call-ip6tables", "1"],
    ["net.ipv4.conf.all.route_localnet", "1"],
  ] as const) {
    await runOk("ip", ns("sysctl", "-q", "-w", `${k}=${v}`));
  }
}

/** Removes the veth (both ends) and the netns; safe when absent. */
export async function removeNodeNetwork(): Promise<void> {
  if (await linkExists(NET.hostIf)) await runOk("ip", ["link", "del", NET.hostIf]);
  if (netnsExists()) await runOk("ip", ["netns", "del", NET.netns]);
}
