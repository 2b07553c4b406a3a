// The benchmark's two stacks, both configured from `local`: bench-local (pulumi up, the
// measured path) and bench-local-render (renders the floor's manifests); and the removal
// of both after an interrupted run.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { stackFilePath } from "../../cli/stackFiles";
import { reconcileClusterVolumes } from "../../engine/localCluster";
import { platformValues } from "../../engine/stackFile";
import { preparePlatformStack, type PreparedStack } from "../../engine/workspace";
import { benchDir, type BenchLog } from "./benchLog";
import { renderOverrides } from "./floorManifests";

export const STACK = "bench-local";
export const RENDER_STACK = "bench-local-render";

/** A bench stack; the cluster's volumes reconciled first (the master's claim binds one). */
export async function prepareStack(
  log: BenchLog,
  stackName: string,
  overrides?: Record<string, unknown>,
): Promise<PreparedStack> {
  log.say(await reconcileClusterVolumes());
  return preparePlatformStack({
    stackName,
    configFrom: "local",
    ...(overrides ? { overrides } : {}),
    log: (line) => log.say(line),
  });
}

/** Resources in the stack's state, the stack itself and its provider not counted. */
export async function resourceCount(prepared: PreparedStack): Promise<number> {
  const state = await prepared.stack.exportStack();
  const resources = (state.deployment as { resources?: { type: string }[] } | undefined)?.resources;
  return (resources ?? []).filter((r) => !r.type.startsWith("pulumi:")).length;
}

/** Removes the stacks whose state is empty (a stack that still holds resources stays). */
export async function removeEmptyStacks(
  stacks: readonly (readonly [string, PreparedStack | undefined])[],
): Promise<void> {
  for (const [name, prepared] of stacks) {
    if (prepared && (await resourceCount(prepared).catch(() => 1)) === 0) {
      await prepared.stack.workspace.removeStack(name).catch(() => {});
    }
  }
}

/** `--cleanup`: refreshes, destroys and removes both stacks (after an interrupted run). */
export async function cleanupStacks(log: BenchLog): Promise<void> {
  const scratch = mkdtempSync(join(benchDir(), "cleanup-"));
  try {
    const committed = platformValues(readFileSync(stackFilePath("local"), "utf8"));
    for (const [name, overrides] of [
      [STACK, undefined],
      [RENDER_STACK, renderOverrides(committed, scratch)],
    ] as const) {
      const prepared = await prepareStack(log, name, overrides);
      log.say(`${name}: refresh and destroy`);
      await prepared.stack.refresh({ onOutput: log.record });
      await prepared.stack.destroy({ onOutput: log.record });
      await prepared.stack.workspace.removeStack(name);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
