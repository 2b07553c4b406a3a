// The floor: the same objects rendered by bench-local-render into a 0700 directory (they
// hold the stack's secrets), applied with `kubectl apply --server-side -R` to the same
// readiness, then deleted. What it leaves is undone by undoFloor, whatever failed.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { PreparedStack } from "../../engine/workspace";
import { kubectl } from "../../kubectl/client";
import { benchDir, type BenchLog } from "./benchLog";
import { NAMESPACES, waitGone, waitReady } from "./clusterState";
import { podsOfOthers, type Disturbance } from "./disturbances";
import { namespaceFilesFirst, renderOverrides, type RenderedFile } from "./floorManifests";
import type { ClusterBenchResult } from "./result";
import { prepareStack, RENDER_STACK } from "./stacks";

const seconds = (since: number): number => (Date.now() - since) / 1000;

/** How far the floor got: what undoFloor has to take back. */
export interface FloorProgress {
  renderDir?: string;
  render?: PreparedStack;
  /** The render stack was brought up (its databases and markers exist). */
  renderUp: boolean;
  /** Objects were applied with kubectl and not deleted yet. */
  applied: boolean;
}

function renderedFiles(dir: string): RenderedFile[] {
  const files: RenderedFile[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name)) files.push({ path, text: readFileSync(path, "utf8") });
    }
  };
  walk(dir);
  return files;
}

export interface FloorOptions {
  /** The committed `local` stack's platform values. */
  readonly committed: Readonly<Record<string, unknown>>;
  readonly releases: readonly string[];
}

/** Render, apply, Ready, delete; records its progress in `progress` as it goes. */
export async function measureFloor(
  log: BenchLog,
  progress: FloorProgress,
  o: FloorOptions,
): Promise<{ kubectl: ClusterBenchResult["kubectl"]; disturbances: Disturbance[] }> {
  const renderDir = mkdtempSync(join(benchDir(), "render-"));
  progress.renderDir = renderDir;
  chmodSync(renderDir, 0o700);
  const render = await prepareStack(log, RENDER_STACK, renderOverrides(o.committed, renderDir));
  progress.render = render;
  log.say(`${RENDER_STACK}: pulumi up (renders into ${renderDir})`);
  progress.renderUp = true;
  let started = Date.now();
  await render.stack.up({ onOutput: log.record });
  const renderUpSeconds = seconds(started);
  const files = renderedFiles(renderDir);
  const { namespaces, foreign } = namespaceFilesFirst(files);
  if (!namespaces.length) throw new Error(`${renderDir}: no Namespace rendered`);
  if (foreign.length) {
    throw new Error(
      `rendered objects in namespaces the render does not create: ${foreign.join(", ")}`,
    );
  }
  log.say(`kubectl apply --server-side of ${files.length} files (namespaces first)`);
  progress.applied = true;
  started = Date.now();
  await kubectl(["apply", "--server-side", ...namespaces.flatMap((f) => ["-f", f])]);
  await kubectl(["apply", "--server-side", "-R", "-f", renderDir]);
  const applySeconds = seconds(started);
  await waitReady("kubectl apply: all Ready");
  const applyReadySeconds = seconds(started);
  log.say(
    `kubectl: applied in ${applySeconds.toFixed(1)} s, all Ready after ${applyReadySeconds.toFixed(1)} s`,
  );
  const disturbances = await podsOfOthers(
    log,
    NAMESPACES[0]!,
    [{ name: "kubectl apply", from: started, to: Date.now() }],
    o.releases,
  );
  started = Date.now();
  await kubectl(["delete", "-R", "-f", renderDir, "--wait", "--ignore-not-found"]);
  const deleteSeconds = seconds(started);
  progress.applied = false;
  await waitGone("kubectl delete: release pods gone");
  log.say(`kubectl: deleted in ${deleteSeconds.toFixed(1)} s`);
  return {
    kubectl: {
      renderUpSeconds,
      files: files.length,
      applySeconds,
      readySeconds: applyReadySeconds,
      deleteSeconds,
    },
    disturbances,
  };
}

/** Deletes what is still applied, destroys the render stack, removes the rendered secrets. */
export async function undoFloor(log: BenchLog, progress: FloorProgress): Promise<void> {
  if (progress.applied && progress.renderDir) {
    await kubectl(["delete", "-R", "-f", progress.renderDir, "--wait", "--ignore-not-found"], true);
  }
  if (progress.renderUp && progress.render) {
    await progress.render.stack
      .destroy({ onOutput: log.record })
      .catch((e: unknown) => log.say(`${RENDER_STACK} destroy: ${String(e)}`));
  }
  if (progress.renderDir) rmSync(progress.renderDir, { recursive: true, force: true });
}
