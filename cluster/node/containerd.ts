// A node's own containerd (Debian's binary; our config, root and state under the cache) and
// the `ctr` calls the harness makes to it.
import * as fs from "node:fs";
import * as path from "node:path";
import { waitFor } from "../support/polling";
import { run, RunResult, succeeds } from "../support/runCommand";
import { ClusterNode, nodeProcessName } from "./clusterNode";
import { cniConflist, containerdConfig } from "./containerdConfig";
import type { NodeLayout } from "./nodeLayout";
import { inNetnsWithHostMounts, Procs } from "./procs";

/** The containerd namespace the CRI plugin (and so kubelet) uses. */
export const K8S_NS = "k8s.io";

export function ctr(nl: NodeLayout, args: string[]): Promise<RunResult> {
  return run("ctr", ["--address", nl.containerdSocket, "-n", K8S_NS, ...args]);
}

export function writeContainerdConfig(
  node: ClusterNode,
  nl: NodeLayout,
  sandboxImage: string,
): void {
  fs.mkdirSync(nl.cniConfDir, { recursive: true });
  fs.mkdirSync(nl.containerdRoot, { recursive: true });
  fs.mkdirSync(nl.containerdState, { recursive: true });
  fs.writeFileSync(
    nl.containerdConfig,
    containerdConfig({
      root: nl.containerdRoot,
      state: nl.containerdState,
      socket: nl.containerdSocket,
      sandboxImage,
      cniConfDir: nl.cniConfDir,
      runcRoot: nl.runcRoot,
    }),
  );
  fs.writeFileSync(
    path.join(nl.cniConfDir, "10-spark-pods.conflist"),
    cniConflist(node, nl.ipamDir),
  );
}

export async function containerdAnswers(nl: NodeLayout): Promise<boolean> {
  // Without the socket ctr waits out its 10 s dial timeout.
  if (!fs.existsSync(nl.containerdSocket)) return false;
  return succeeds("ctr", ["--address", nl.containerdSocket, "--connect-timeout", "2s", "version"]);
}

/** Starts the node's containerd (process record "containerd", on a later node
 * "containerd-<node>") and waits for its API. */
export async function startContainerd(
  node: ClusterNode,
  nl: NodeLayout,
  procs: Procs,
): Promise<void> {
  if (!fs.existsSync(nl.containerdConfig))
    throw new Error(`no containerd config at ${nl.containerdConfig}`);
  await procs.start(nodeProcessName(node, "containerd"), inNetnsWithHostMounts(node), [
    "containerd",
    "--config",
    nl.containerdConfig,
  ]);
  if (!(await waitFor(() => containerdAnswers(nl), 30000, 250)))
    throw new Error("containerd did not answer in 30 s");
}

/** Kills and deletes every container of the k8s.io namespace; returns their netns paths. */
export async function removeAllContainers(nl: NodeLayout): Promise<string[]> {
  const ids = (await ctr(nl, ["containers", "ls", "-q"])).stdout.split("\n").filter(Boolean);
  const netns = new Set<string>();
  for (const id of ids) {
    const info = await ctr(nl, ["containers", "info", id]);
    try {
      const spec = (
        JSON.parse(info.stdout) as {
          Spec?: { linux?: { namespaces?: { type: string; path?: string }[] } };
        }
      ).Spec;
      for (const n of spec?.linux?.namespaces ?? []) {
        if (n.type === "network" && n.path?.startsWith("/var/run/netns/")) netns.add(n.path);
        if (n.type === "network" && n.path?.startsWith("/run/netns/")) netns.add(n.path);
      }
    } catch {
      /* not JSON: nothing to learn */
    }
    await ctr(nl, ["tasks", "kill", "-s", "SIGKILL", id]);
    await waitFor(
      async () => !(await ctr(nl, ["tasks", "ls", "-q"])).stdout.split("\n").includes(id),
      5000,
      200,
    );
    await ctr(nl, ["tasks", "delete", "-f", id]);
    await ctr(nl, ["containers", "delete", id]);
  }
  return [...netns];
}
