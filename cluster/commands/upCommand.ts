// `up`: from a bare (or dirty) machine to a Ready node with working DNS, timing each phase.
import * as fs from "node:fs";
import * as path from "node:path";
import { asList, coreDns, infraServices, kubeRouterRbac } from "../addons";
import { Binaries, ensureBuilt, partBinaries } from "../build/ensureBuilt";
import { clearLeftovers, podLogsDir } from "../cleanup/leftoverRemoval";
import { Component, components } from "../node/processCommands";
import { kubeletConfig, kubeProxyConfig, NODE_RESOLV_CONF } from "../node/kubeletConfig";
import { containerdPaths, startContainerd, writeContainerdConfig } from "../node/containerd";
import { log, phase, run, waitFor } from "../support/runCommand";
import { coreImages, importAll, standInImages } from "../coreImages";
import {
  apiReady,
  deploymentReady,
  kubeconfigFile,
  kubectlOk,
  nodeReady,
  writeKubeconfigs,
} from "../adminKubectl";
import { NET } from "../addressPlan";
import { ensureNodeNetwork } from "../node/nodeNetwork";
import { Layout } from "../clusterLayout";
import { ensurePki } from "../node/pki";
import { checkKernel, ensurePackages } from "../hostPrerequisites";
import { runDnsProbe } from "../actions/probeFromPod";
import { Procs } from "../node/procs";
import { startMinio, startMirror, startPostgres } from "../services";
import { catalogArtifacts } from "../../lib/jars/catalog";
import { fillMirror } from "../../lib/jars/mirror";

/** Where the local jar mirror is filled from (the platform's default repository). */
const MIRROR_UPSTREAM =
  process.env["SPARK_PLATFORM_MAVEN_UPSTREAM"] ?? "https://repo1.maven.org/maven2";
import { printStatus, statusOf } from "../clusterHealth";

export interface UpOptions {
  restart: boolean;
  standIns: boolean;
}

const RESERVED_CPU = process.env.SPARK_PLATFORM_CLUSTER_RESERVED_CPU || "200m";
const RESERVED_MEMORY = process.env.SPARK_PLATFORM_CLUSTER_RESERVED_MEMORY || "1Gi";

/** Is something listening on host:port inside the node netns? (our probe binary) */
function netnsPort(probe: string, hostPort: string): Promise<boolean> {
  return run("ip", ["netns", "exec", NET.netns, probe, "tcp", hostPort]).then((r) => r.code === 0);
}

async function startAndWait(
  procs: Procs,
  c: Component,
  ready: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const rec = await procs.start(c.name, c.where, c.argv);
  const ok = await waitFor(
    async () => (await ready()) || !fs.existsSync(`/proc/${rec.pid}`),
    timeoutMs,
    250,
  );
  if (!ok || !fs.existsSync(`/proc/${rec.pid}`) || !(await ready())) {
    throw new Error(`${c.name} not ready in ${timeoutMs / 1000} s, see ${rec.log}`);
  }
}

export async function up(l: Layout, opts: UpOptions): Promise<void> {
  const t0 = Date.now();
  const timings = new Map<string, number>();
  await phase(
    "prerequisites",
    async () => {
      await ensurePackages();
      await checkKernel();
    },
    timings,
  );
  await phase("build", async () => void (await ensureBuilt(l)), timings);
  const bins = partBinaries(l);
  const healthy = !opts.restart && (await statusOf(l)).every((s) => s.ok);
  if (healthy) log("already up and healthy: nothing restarted (--restart starts fresh)");
  else {
    await start(l, bins, timings);
    log(`cluster up: node Ready and DNS answering ${seconds(t0)} s after start`);
  }
  if (opts.standIns) {
    const probe = bins.bin("probe");
    const tars = () =>
      standInImages(l, { pause: bins.bin("pause"), coredns: bins.bin("coredns"), probe });
    await phase("stand-in images", async () => importAll(l, await tars()), timings);
  }
  // The stacks' jars.repository: the catalog's jars, verified, served at maven-mirror.spark-infra.svc.
  await phase(
    "jar mirror",
    async () => {
      const r = await fillMirror(l.mavenMirrorDir, catalogArtifacts(), MIRROR_UPSTREAM, log);
      log(
        `jar mirror: ${r.fetched} fetched (${(r.bytes / 2 ** 20).toFixed(0)} MiB), ${r.kept} kept`,
      );
    },
    timings,
  );
  log(`timings: ${[...timings].map(([k, v]) => `${k} ${v.toFixed(1)}s`).join(", ")}`);
  log(`total ${seconds(t0)} s; KUBECONFIG=${l.adminKubeconfig}`);
  printStatus(await statusOf(l));
}

const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);

/** Everything from a clean slate to a Ready node with DNS answering from a pod. */
async function start(l: Layout, bins: Binaries, timings: Map<string, number>): Promise<void> {
  const procs = new Procs(l.pidDir, l.logDir);
  await phase("clear leftovers", () => clearLeftovers(l, procs), timings);
  for (const d of [l.logDir, l.pidDir, l.etcdDataDir, l.kubeletRoot, podLogsDir(l)])
    fs.mkdirSync(d, { recursive: true });
  await phase("node network", ensureNodeNetwork, timings);
  await phase(
    "certificates",
    async () => {
      await ensurePki(l.pkiDir);
      writeKubeconfigs(l);
    },
    timings,
  );
  const images = await phase(
    "core images",
    () =>
      coreImages(l, {
        pause: bins.bin("pause"),
        coredns: bins.bin("coredns"),
        probe: bins.bin("probe"),
      }),
    timings,
  );
  const services = phase(
    "shared services",
    async () => {
      await startPostgres(l, procs);
      await startMinio(l, procs);
      await startMirror(l, procs);
    },
    timings,
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  const files = {
    kubeletConfig: path.join(l.stateDir, "kubelet-config.yaml"),
    kubeProxyConfig: path.join(l.stateDir, "kube-proxy-config.yaml"),
    kubeconfig: (u: string) => kubeconfigFile(l, u),
  };
  const all = components({ l, bin: bins.bin, files });
  const comp = (name: string) => all.find((c) => c.name === name) as Component;
  const probe = bins.bin("probe");
  await phase(
    "etcd",
    () => startAndWait(procs, comp("etcd"), () => netnsPort(probe, "127.0.0.1:2379"), 60000),
    timings,
  );
  await phase(
    "kube-apiserver",
    () => startAndWait(procs, comp("kube-apiserver"), () => apiReady(l), 120000),
    timings,
  );
  await phase(
    "controller-manager, scheduler",
    async () => {
      await startAndWait(
        procs,
        comp("kube-controller-manager"),
        () => netnsPort(probe, "127.0.0.1:10257"),
        60000,
      );
      await startAndWait(
        procs,
        comp("kube-scheduler"),
        () => netnsPort(probe, "127.0.0.1:10259"),
        60000,
      );
      await kubectlOk(
        l,
        ["apply", "--server-side", "--force-conflicts", "-f", "-"],
        asList(kubeRouterRbac()),
      );
    },
    timings,
  );
  await phase(
    "containerd + images",
    async () => {
      writeContainerdConfig(l, images.pause);
      await startContainerd(l, procs);
      await importAll(l, images.tars);
    },
    timings,
  );
  await phase(
    "kubelet (node Ready)",
    async () => {
      fs.writeFileSync(path.join(l.stateDir, "node-resolv.conf"), NODE_RESOLV_CONF);
      fs.writeFileSync(
        files.kubeletConfig,
        kubeletConfig({
          pki: l.pkiDir,
          containerdSocket: containerdPaths(l).socket,
          resolvConf: path.join(l.stateDir, "node-resolv.conf"),
          reservedCpu: RESERVED_CPU,
          reservedMemory: RESERVED_MEMORY,
          volumePluginDir: path.join(l.kubeletRoot, "volume-plugins"),
          podLogsDir: podLogsDir(l),
        }),
      );
      await startAndWait(procs, comp("kubelet"), () => nodeReady(l), 180000);
    },
    timings,
  );
  await phase(
    "kube-proxy, kube-router",
    async () => {
      fs.writeFileSync(
        files.kubeProxyConfig,
        kubeProxyConfig({ kubeconfig: kubeconfigFile(l, "kube-proxy") }),
      );
      await startAndWait(
        procs,
        comp("kube-proxy"),
        () => netnsPort(probe, "127.0.0.1:10256"),
        60000,
      );
      await startAndWait(
        procs,
        comp("kube-router"),
        () => netnsPort(probe, "127.0.0.1:20244"),
        60000,
      );
    },
    timings,
  );
  await phase(
    "coredns",
    async () => {
      await kubectlOk(
        l,
        ["apply", "--server-side", "--force-conflicts", "-f", "-"],
        asList(coreDns(images.coredns)),
      );
      if (!(await waitFor(() => deploymentReady(l, "kube-system", "coredns"), 180000, 1000))) {
        throw new Error(
          "CoreDNS not ready in 180 s (kubectl -n kube-system describe pod -l k8s-app=kube-dns)",
        );
      }
    },
    timings,
  );
  const servicesError = await services;
  if (servicesError) throw servicesError;
  await phase(
    "spark-infra services",
    async () => {
      await kubectlOk(
        l,
        ["apply", "--server-side", "--force-conflicts", "-f", "-"],
        asList(infraServices()),
      );
    },
    timings,
  );
  await phase("DNS + services from a pod", () => runDnsProbe(l, images.probe), timings);
}
