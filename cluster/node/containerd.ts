// Our own containerd (Debian's binary, our config, root and state under the cache) and
// the `ctr` calls the harness needs: image import, and removal of every container.
import * as fs from "node:fs";
import * as path from "node:path";
import { containerdConfig, cniConflist } from "./kubeletConfig";
import { run, runOk, succeeds, waitFor } from "../support/runCommand";
import { Layout } from "../clusterLayout";
import { Procs } from "./procs";

export const K8S_NS = "k8s.io";

export function containerdPaths(l: Layout) {
  const base = path.dirname(l.containerdRoot);
  return {
    config: path.join(base, "config.toml"),
    socket: path.join(l.containerdState, "containerd.sock"),
    cniConfDir: path.join(base, "cni", "net.d"),
    ipamDir: path.join(base, "cni", "ipam"),
    runcRoot: path.join(l.containerdState, "runc"),
  };
}

export function ctr(l: Layout, args: string[]) {
  return run("ctr", ["--address", containerdPaths(l).socket, "-n", K8S_NS, ...args]);
}

export function writeContainerdConfig(l: Layout, sandboxImage: string): void {
  const p = containerdPaths(l);
  fs.mkdirSync(p.cniConfDir, { recursive: true });
  fs.mkdirSync(l.containerdRoot, { recursive: true });
  fs.mkdirSync(l.containerdState, { recursive: true });
  fs.writeFileSync(
    p.config,
    containerdConfig({
      root: l.containerdRoot,
      state: l.containerdState,
      socket: p.socket,
      sandboxImage,
      cniConfDir: p.cniConfDir,
      runcRoot: p.runcRoot,
    }),
  );
  fs.writeFileSync(path.join(p.cniConfDir, "10-spark-pods.conflist"), cniConflist(p.ipamDir));
}

export async function containerdAnswers(l: Layout): Promise<boolean> {
  const socket = containerdPaths(l).socket;
  // Without the socket ctr waits out its 10 s dial timeout.
  if (!fs.existsSync(socket)) return false;
  return succeeds("ctr", ["--address", socket, "--connect-timeout", "2s", "version"]);
}

export async function startContainerd(l: Layout, procs: Procs): Promise<void> {
  const p = containerdPaths(l);
  if (!fs.existsSync(p.config)) throw new Error(`no containerd config at ${p.config}`);
  await procs.start("containerd", "netns-hostmounts", ["containerd", "--config", p.config]);
  if (!(await waitFor(() => containerdAnswers(l), 30000, 250)))
    throw new Error("containerd did not answer in 30 s");
}

/** Kills and deletes every container of the k8s.io namespace; returns their netns paths. */
export async function removeAllContainers(l: Layout): Promise<string[]> {
  const ids = (await ctr(l, ["containers", "ls", "-q"])).stdout.split("\n").filter(Boolean);
  const netns = new Set<string>();
  for (const id of ids) {
    const info = await ctr(l, ["containers", "info", id]);
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
    await ctr(l, ["tasks", "kill", "-s", "SIGKILL", id]);
    await waitFor(
      async () => !(await ctr(l, ["tasks", "ls", "-q"])).stdout.split("\n").includes(id),
      5000,
      200,
    );
    await ctr(l, ["tasks", "delete", "-f", id]);
    await ctr(l, ["containers", "delete", id]);
  }
  return [...netns];
}

/** Digest of an imported image, or undefined. */
export async function imageDigest(l: Layout, ref: string): Promise<string | undefined> {
  const r = await ctr(l, ["images", "ls"]);
  for (const line of r.stdout.split("\n").slice(1)) {
    const [name, , digest] = line.split(/\s+/);
    if (name === ref) return digest;
  }
  return undefined;
}

/** Digest of the manifest an OCI layout tarball's index points at (read with tar). */
export async function tarballDigest(tar: string): Promise<string | undefined> {
  let index = await run("tar", ["-xOf", tar, "index.json"]);
  if (index.code !== 0) index = await run("tar", ["-xOf", tar, "./index.json"]);
  if (index.code !== 0) return undefined;
  const m = (JSON.parse(index.stdout) as { manifests?: { digest: string }[] }).manifests?.[0];
  return m?.digest;
}

/** Imports the tarball unless `ref` is already there with the same digest. */
export async function importImage(
  l: Layout,
  ref: string,
  tar: string,
): Promise<"imported" | "present"> {
  const want = await tarballDigest(tar);
  const have = await imageDigest(l, ref);
  if (want && have === want) return "present";
  await runOk("ctr", [
    "--address",
    containerdPaths(l).socket,
    "-n",
    K8S_NS,
    "images",
    "import",
    tar,
  ]);
  const got = await imageDigest(l, ref);
  if (!got) throw new Error(`import of ${tar} did not yield image ${ref}`);
  return "imported";
}
