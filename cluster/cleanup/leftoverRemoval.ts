// Finding and clearing what a run of this harness leaves on the machine: processes
// recorded by PID, containers, mounts, network namespaces, the veth, iptables state in the
// node netns, kubelet cgroups and a few files outside the state dir.
import * as fs from "node:fs";
import * as path from "node:path";
import { STOP_ORDER } from "../node/processCommands";
import { containerdAnswers, containerdPaths, removeAllContainers } from "../node/containerd";
import { log, run, succeeds, waitFor } from "../support/runCommand";
import * as lo from "./leftoverParsing";
import { NET } from "../addressPlan";
import { netnsExists, removeNodeNetwork } from "../node/nodeNetwork";
import { Layout } from "../clusterLayout";
import { alive, Procs } from "../node/procs";
import { stopMinio, stopPostgres } from "../services";
import { CNI_NETWORK } from "../node/kubeletConfig";

const CGROUP_ROOT = "/sys/fs/cgroup";
const CNI_RESULTS = "/var/lib/cni/results";
const CONTAINER_LOG_LINKS = "/var/log/containers";
const SHIM_SOCKETS = "/run/containerd/s";

export const podLogsDir = (l: Layout) => path.join(l.stateDir, "pod-logs");

/** Directories kubelet, the CNI plugins and the controller-manager create at fixed paths
 * whatever they are configured with; removed (deepest first) when nothing else is in them. */
const FIXED_DIRS = [
  "/var/lib/kubelet/device-plugins",
  "/var/lib/kubelet",
  CNI_RESULTS,
  "/var/lib/cni",
  CONTAINER_LOG_LINKS,
];

function emptyFixedDirs(): string[] {
  return FIXED_DIRS.filter((d) => {
    try {
      return fs
        .readdirSync(d)
        .every((e) => FIXED_DIRS.includes(path.join(d, e)) || e === "kubelet.sock");
    } catch {
      return false;
    }
  });
}

function ourMountPrefixes(l: Layout): string[] {
  return [l.kubeletRoot, l.containerdRoot, l.containerdState];
}

function kubepodsCgroups(): string[] {
  const dirs: string[] = [];
  const walk = (d: string) => {
    dirs.push(d);
    for (const e of fs.readdirSync(d, { withFileTypes: true }))
      if (e.isDirectory()) walk(path.join(d, e.name));
  };
  if (!fs.existsSync(CGROUP_ROOT)) return dirs;
  for (const ctrl of fs.readdirSync(CGROUP_ROOT)) {
    const top = path.join(CGROUP_ROOT, ctrl, "kubepods");
    try {
      if (fs.statSync(top).isDirectory()) walk(top);
    } catch {
      /* controller without kubepods */
    }
  }
  return dirs;
}

/** Pod netns (cni-*) whose eth0 sits in our pod range. */
async function podNetnsByAddress(): Promise<string[]> {
  const out: string[] = [];
  if (!fs.existsSync("/run/netns")) return out;
  for (const n of fs.readdirSync("/run/netns").filter((n) => n.startsWith("cni-"))) {
    const r = await run("ip", ["-n", n, "-4", "-o", "addr", "show"]);
    if (/inet 10\.244\.0\.\d+\//.test(r.stdout)) out.push(`/run/netns/${n}`);
  }
  return out;
}

function ourFiles(l: Layout): string[] {
  const files: string[] = [];
  const ls = (d: string) => (fs.existsSync(d) ? fs.readdirSync(d) : []);
  for (const f of ls(CNI_RESULTS))
    if (f.startsWith(`${CNI_NETWORK}-`)) files.push(path.join(CNI_RESULTS, f));
  for (const f of ls(CONTAINER_LOG_LINKS)) {
    const p = path.join(CONTAINER_LOG_LINKS, f);
    try {
      if (fs.readlinkSync(p).startsWith(podLogsDir(l))) files.push(p);
    } catch {
      /* not a link */
    }
  }
  const inUse = lo.unixSocketsInUse(
    fs.existsSync("/proc/net/unix") ? fs.readFileSync("/proc/net/unix", "utf8") : "",
  );
  for (const f of ls(SHIM_SOCKETS))
    if (!inUse.has(path.join(SHIM_SOCKETS, f))) files.push(path.join(SHIM_SOCKETS, f));
  return files;
}

export async function scanLeftovers(l: Layout, procs: Procs): Promise<lo.LeftoverReport> {
  const mounts = lo.mountsUnder(fs.readFileSync("/proc/self/mounts", "utf8"), ourMountPrefixes(l));
  const netns = [
    ...(netnsExists() ? [`/run/netns/${NET.netns}`] : []),
    ...(await podNetnsByAddress()),
  ];
  const links = lo
    .linkNames((await run("ip", ["-o", "link", "show"])).stdout)
    .filter((n) => n === NET.hostIf);
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
    cgroups: kubepodsCgroups(),
    files: [...ourFiles(l), ...emptyFixedDirs()],
  };
}

/** Starts containerd on its old state just long enough to delete every container. */
async function removeContainers(l: Layout, procs: Procs): Promise<string[]> {
  const p = containerdPaths(l);
  if (!fs.existsSync(p.config) || !fs.existsSync(l.containerdRoot)) return [];
  let started = false;
  if (!(await containerdAnswers(l))) {
    await procs.start("containerd-cleanup", "host", ["containerd", "--config", p.config]);
    started = true;
    if (!(await waitFor(() => containerdAnswers(l), 30000, 250))) {
      log("cleanup: containerd did not answer; containers left to the next run");
      await procs.stop("containerd-cleanup");
      return [];
    }
  }
  const netns = await removeAllContainers(l);
  if (started) await procs.stop("containerd-cleanup");
  return netns;
}

async function unmount(points: string[]): Promise<void> {
  for (const m of points) {
    if (!(await succeeds("umount", [m]))) await run("umount", ["-l", m]);
  }
}

/** Runs one cleanup step, naming it when it is slow. */
async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const start = Date.now();
  const v = await fn();
  if (Date.now() - start > 1000)
    log(`cleanup: ${name} took ${((Date.now() - start) / 1000).toFixed(1)}s`);
  return v;
}

/** Clears everything an earlier run of the harness left behind. */
export async function clearLeftovers(l: Layout, procs: Procs): Promise<void> {
  // kubelet first, so nothing restarts containers while they are removed.
  await step("stop kubelet", () => procs.stop("kubelet"));
  const podNetns = new Set(await podNetnsByAddress());
  for (const n of await step("remove containers", () => removeContainers(l, procs)))
    podNetns.add(n);
  await step("stop minio", () => stopMinio(l, procs));
  await step("stop postgresql", () => stopPostgres(l, procs));
  for (const name of STOP_ORDER) await step(`stop ${name}`, () => procs.stop(name));
  for (const r of procs.all()) await step(`stop ${r.name}`, () => procs.stop(r.name));
  await unmount(
    lo.mountsUnder(fs.readFileSync("/proc/self/mounts", "utf8"), [
      ...ourMountPrefixes(l),
      ...podNetns,
    ]),
  );
  for (const n of podNetns) fs.rmSync(n, { force: true });
  if (netnsExists()) {
    // Rules and ipsets live in the node netns and go with it; flush first in case
    // something still holds the namespace open.
    await run("ip", ["netns", "exec", NET.netns, "iptables", "-F"]);
    for (const t of ["nat", "mangle", "filter", "raw"])
      await run("ip", ["netns", "exec", NET.netns, "iptables", "-t", t, "-F"]);
    for (const t of ["nat", "mangle", "filter", "raw"])
      await run("ip", ["netns", "exec", NET.netns, "iptables", "-t", t, "-X"]);
    await run("ip", ["netns", "exec", NET.netns, "ipset", "destroy"]);
  }
  await removeNodeNetwork();
  for (const d of lo.cgroupRemovalOrder(kubepodsCgroups())) {
    try {
      fs.rmdirSync(d);
    } catch {
      /* still has tasks: reported by scanLeftovers */
    }
  }
  for (const f of ourFiles(l)) fs.rmSync(f, { force: true });
  for (const d of emptyFixedDirs()) fs.rmSync(d, { recursive: true, force: true });
  // Run state that is rebuilt on every up (images in the containerd root are kept).
  for (const d of [
    l.etcdDataDir,
    l.kubeletRoot,
    l.containerdState,
    podLogsDir(l),
    path.join(path.dirname(l.containerdRoot), "cni", "ipam"),
  ]) {
    fs.rmSync(d, { recursive: true, force: true });
  }
}
