// The parts the cluster is built from: how each wrapper module is prepared and which
// binaries it yields. Binaries land in <cache>/cluster/bin/<part>-<version>/.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { runOk } from "../support/runCommand";
import { REPO_DIR } from "../clusterLayout";
import * as v from "../clusterVersions";
import {
  ETCD_MAIN_GO,
  kubernetesLdflags,
  kubernetesWrapperGoMod,
  simpleWrapperGoMod,
} from "./gomod";

export interface BuildContext {
  /** Fresh wrapper directory for this part (inside <cache>/cluster/work). */
  work: string;
  /** Directory the binaries must be written to. */
  out: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Progress line for a sub-step ("kubelet: ok (586s)"). */
  step: (name: string, fn: () => Promise<void>) => Promise<void>;
}

export interface Part {
  name: string;
  version: string;
  binaries: string[];
  build: (ctx: BuildContext) => Promise<void>;
}

const NICE = 10;

function go(ctx: BuildContext, args: string[]): Promise<string> {
  return runOk("go", args, { cwd: ctx.work, env: ctx.env, logFile: ctx.logFile, nice: NICE });
}

/** `go build -trimpath -ldflags <ldflags> -o <out> <pkg>`: every part is built this way. */
function goBuild(ctx: BuildContext, out: string, pkg: string, ldflags = "-s -w"): Promise<string> {
  return go(ctx, ["build", "-trimpath", "-ldflags", ldflags, "-o", out, pkg]);
}

/** Downloads mod@version into the module cache; returns its directory there. */
async function moduleDir(ctx: BuildContext, mod: string, version: string): Promise<string> {
  const json = await runOk("go", ["mod", "download", "-json", `${mod}@${version}`], {
    cwd: ctx.work,
    env: ctx.env,
  });
  const dir = (JSON.parse(json) as { Dir?: string }).Dir;
  if (!dir) throw new Error(`go mod download ${mod}@${version} gave no directory`);
  return dir;
}

/** Wrapper with the module's own go.mod/go.sum (same pins), renamed, requiring it. */
async function wrapperFromModule(
  ctx: BuildContext,
  mod: string,
  version: string,
  name: string,
): Promise<void> {
  fs.writeFileSync(
    path.join(ctx.work, "go.mod"),
    simpleWrapperGoMod("probe", "1.22", mod, version),
  );
  const dir = await moduleDir(ctx, mod, version);
  for (const f of ["go.mod", "go.sum"]) {
    fs.copyFileSync(path.join(dir, f), path.join(ctx.work, f));
    fs.chmodSync(path.join(ctx.work, f), 0o644);
  }
  await go(ctx, [
    "mod",
    "edit",
    "-module",
    `spark-platform/cluster/${name}`,
    "-require",
    `${mod}@${version}`,
  ]);
  // Relative replaces (../api and the like) point into upstream's repository: drop them.
  const mod0 = fs.readFileSync(path.join(ctx.work, "go.mod"), "utf8");
  for (const m of mod0.matchAll(/^\s*(?:replace\s+)?(\S+)(?:\s+\S+)?\s+=>\s+\.\.?\/\S*\s*$/gm)) {
    await go(ctx, ["mod", "edit", "-dropreplace", m[1] as string]);
  }
}

const kubernetes: Part = {
  name: "kubernetes",
  version: v.KUBERNETES_VERSION,
  binaries: [...v.KUBERNETES_COMMANDS],
  async build(ctx) {
    fs.writeFileSync(
      path.join(ctx.work, "go.mod"),
      simpleWrapperGoMod("probe", "1.24.0", "k8s.io/kubernetes", v.KUBERNETES_VERSION),
    );
    const dir = await moduleDir(ctx, "k8s.io/kubernetes", v.KUBERNETES_VERSION);
    const upstreamGoMod = fs.readFileSync(path.join(dir, "go.mod"), "utf8");
    fs.writeFileSync(
      path.join(ctx.work, "go.mod"),
      kubernetesWrapperGoMod({
        version: v.KUBERNETES_VERSION,
        stagingVersion: v.KUBERNETES_STAGING_VERSION,
        upstreamGoMod,
      }),
    );
    fs.copyFileSync(path.join(dir, "go.sum"), path.join(ctx.work, "go.sum"));
    fs.chmodSync(path.join(ctx.work, "go.sum"), 0o644);
    const ldflags = kubernetesLdflags(v.KUBERNETES_VERSION);
    // One command at a time, sharing Go's build cache: per-command timings, and a
    // failure names the command.
    for (const cmd of v.KUBERNETES_COMMANDS) {
      await ctx.step(cmd, async () => {
        await goBuild(ctx, `${ctx.out}/`, `k8s.io/kubernetes/cmd/${cmd}`, ldflags);
      });
    }
  },
};

const etcd: Part = {
  name: "etcd",
  version: v.ETCD_VERSION,
  binaries: ["etcd"],
  async build(ctx) {
    // server/v3's go.mod asks for go 1.26.0; the wrapper follows it.
    fs.writeFileSync(
      path.join(ctx.work, "go.mod"),
      simpleWrapperGoMod("etcd", "1.26.0", "go.etcd.io/etcd/server/v3", v.ETCD_VERSION),
    );
    fs.writeFileSync(path.join(ctx.work, "main.go"), ETCD_MAIN_GO);
    await go(ctx, ["mod", "tidy"]);
    await goBuild(ctx, path.join(ctx.out, "etcd"), ".");
  },
};

const coredns: Part = {
  name: "coredns",
  version: v.COREDNS_VERSION,
  binaries: ["coredns"],
  async build(ctx) {
    await wrapperFromModule(ctx, "github.com/coredns/coredns", v.COREDNS_VERSION, "coredns");
    await goBuild(ctx, path.join(ctx.out, "coredns"), "github.com/coredns/coredns");
  },
};

const kubeRouter: Part = {
  name: "kube-router",
  version: v.KUBE_ROUTER_VERSION,
  binaries: ["kube-router"],
  async build(ctx) {
    const mod = "github.com/cloudnativelabs/kube-router/v2";
    await wrapperFromModule(ctx, mod, v.KUBE_ROUTER_VERSION, "kube-router");
    await goBuild(ctx, path.join(ctx.out, "kube-router"), `${mod}/cmd/kube-router`);
  },
};

/**
 * A Go program of ours (stdlib only) in `dir` (default cluster/<name>), keyed by the hash
 * of its source.
 */
function repoProgram(name: string, dir = path.join("cluster", name)): Part {
  const src = path.join(REPO_DIR, dir);
  const files = ["go.mod", "main.go"];
  const h = createHash("sha256");
  for (const f of files) h.update(fs.readFileSync(path.join(src, f)));
  const version = `${v.OWN_PROGRAMS_VERSION}-${h.digest("hex").slice(0, 8)}`;
  return {
    name,
    version,
    binaries: [name],
    async build(ctx) {
      for (const f of files) fs.copyFileSync(path.join(src, f), path.join(ctx.work, f));
      const ldflags = `-s -w -X main.version=${version}`;
      await goBuild(ctx, path.join(ctx.out, name), ".", ldflags);
    },
  };
}

const pause = repoProgram("pause");
const probe = repoProgram("probe");
// The Connect server's TLS terminator: platform code (images/connect-tls), built here so
// the local cluster has its image (cluster/images/oneBinaryImage.ts).
const connectTls = repoProgram("connect-tls", path.join("images", "connect-tls"));

export type PartName =
  | "pause"
  | "probe"
  | "connect-tls"
  | "etcd"
  | "kubernetes"
  | "coredns"
  | "kube-router";
export const PARTS: (Part & { name: PartName })[] = [
  { ...pause, name: "pause" },
  { ...probe, name: "probe" },
  { ...connectTls, name: "connect-tls" },
  { ...etcd, name: "etcd" },
  { ...kubernetes, name: "kubernetes" },
  { ...coredns, name: "coredns" },
  { ...kubeRouter, name: "kube-router" },
];
