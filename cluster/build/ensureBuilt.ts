// Cached build of the cluster's binaries: each part goes to <cache>/cluster/bin/<part>-<version>/
// and a part whose binaries are all there is not touched (a warm start runs no Go at all).
import * as fs from "node:fs";
import * as path from "node:path";
import { Layout, partDir } from "../clusterLayout";
import { log } from "../support/clusterLog";
import { isBuilt } from "./partBinaries";
import { PARTS, Part } from "./parts";

function goEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CGO_ENABLED: "0",
    // Never fetch another Go toolchain; wrapper go.mod files may name a newer one.
    GOTOOLCHAIN: "local",
    // Upstream go.sum files lack the hashes of the modules the wrappers replace.
    GOFLAGS: [process.env.GOFLAGS, "-mod=mod"].filter(Boolean).join(" "),
  };
}

async function timed(label: string, fn: () => Promise<void>): Promise<number> {
  const start = Date.now();
  const secs = () => Math.round((Date.now() - start) / 1000);
  log(`build ${label}: start`);
  // A cold Kubernetes command compiles for minutes: say that it still does.
  const beat = setInterval(() => log(`build ${label}: still building (${secs()}s)`), 60000);
  try {
    await fn();
  } catch (e) {
    log(`build ${label}: failed (${secs()}s)`);
    throw e;
  } finally {
    clearInterval(beat);
  }
  log(`build ${label}: ok (${secs()}s)`);
  return secs();
}

async function buildPart(l: Layout, p: Part): Promise<void> {
  const work = path.join(l.workDir, `${p.name}-${p.version}`);
  const out = path.join(work, "out");
  const logDir = l.buildLogDir;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${p.name}-${p.version}.log`);
  fs.writeFileSync(logFile, "");
  log(`build ${p.name}: go output in ${logFile}`);
  await p.build({
    work,
    out,
    env: goEnv(),
    logFile,
    step: async (name, fn) => {
      await timed(`${p.name}/${name}`, fn);
    },
  });
  // Install atomically: binaries first into a temporary sibling, then rename.
  const dest = partDir(l, p.name, p.version);
  const tmp = `${dest}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  for (const b of p.binaries) fs.renameSync(path.join(out, b), path.join(tmp, b));
  fs.rmSync(dest, { recursive: true, force: true });
  fs.renameSync(tmp, dest);
}

export interface BuildReport {
  part: string;
  version: string;
  cached: boolean;
  seconds: number;
}

/** Builds every part (or the named ones) that is missing from the cache, in order. */
export async function ensureBuilt(l: Layout, only?: string[]): Promise<BuildReport[]> {
  const unknown = (only ?? []).filter((n) => !PARTS.some((p) => p.name === n));
  if (unknown.length) throw new Error(`unknown part(s): ${unknown.join(", ")}`);
  const reports: BuildReport[] = [];
  for (const p of PARTS) {
    if (only?.length && !only.includes(p.name)) continue;
    if (isBuilt(l, p)) {
      log(`build ${p.name}: cached ${partDir(l, p.name, p.version)}`);
      reports.push({ part: p.name, version: p.version, cached: true, seconds: 0 });
      continue;
    }
    const seconds = await timed(`${p.name} ${p.version}`, () => buildPart(l, p));
    reports.push({ part: p.name, version: p.version, cached: false, seconds });
  }
  return reports;
}
