// What is still on the machine after `down`: the report it prints (exit 1 unless empty).
// `nodes` are every node the harness may have made (cleanup/knownNodes.ts).
import * as fs from "node:fs";
import type { Layout } from "../clusterLayout";
import type { ClusterNode } from "../node/clusterNode";
import { netnsExists } from "../node/nodeNetwork";
import { alive, Procs } from "../node/procs";
import { run } from "../support/runCommand";
import * as lo from "./leftoverParsing";
import {
  emptyFixedDirs,
  kubepodsCgroups,
  ourFiles,
  ourMountPrefixes,
  podNetnsByAddress,
} from "./leftoverPlaces";

export async function scanLeftovers(
  l: Layout,
  procs: Procs,
  nodes: readonly ClusterNode[],
): Promise<lo.LeftoverReport> {
  const mounts = lo.mountsUnder(
    fs.readFileSync("/proc/self/mounts", "utf8"),
    ourMountPrefixes(l, nodes),
  );
  const netns = [
    ...nodes.filter(netnsExists).map((node) => `/run/netns/${node.netns}`),
    ...(await podNetnsByAddress(nodes)),
  ];
  const hostIfs = new Set(nodes.map((node) => node.hostIf));
  const links = lo
    .linkNames((await run("ip", ["-o", "link", "show"])).stdout)
    .filter((n) => hostIfs.has(n));
  const save = await run("iptables-save", []);
  const hostChains = lo.ourChains(save.stdout).map((c) => `${c.table}/${c.chain}`);
  return {
    processes: procs
      .all()
      .filter(alive)
      .map((r) => `${r.name}(${r.pid})`),
    mounts,
    netns,
    links,
    hostChains,
    cgroups: kubepodsCgroups(nodes),
    files: [...ourFiles(l, nodes, true), ...emptyFixedDirs()],
  };
}
