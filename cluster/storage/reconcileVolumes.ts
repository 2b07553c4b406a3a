// Makes the cluster's storage what the local stacks need (`up`, and `npm run cluster --
// volumes`, which tests call before a stack goes up again): the StorageClass, every node's
// pool of `local` volumes, and each volume a destroyed stack left Released emptied and
// made Available again. Idempotent; bound volumes are never touched.
import * as fs from "node:fs";
import * as path from "node:path";
import { applyServerSide, kubectlOk } from "../adminKubectl";
import type { Layout } from "../clusterLayout";
import type { ClusterNode } from "../node/clusterNode";
import { nodeLayout } from "../node/nodeLayout";
import { log } from "../support/clusterLog";
import {
  existingVolumes,
  persistentVolume,
  storageClass,
  VOLUME_LABEL,
  volumePlan,
  volumeSlots,
  volumeSummary,
  type VolumeReport,
  type VolumeSlot,
} from "./localVolumes";

const asList = (items: object[]) => JSON.stringify({ apiVersion: "v1", kind: "List", items });

/** Empties a volume's directory (its own contents only; the directory stays). */
function emptyDir(slot: VolumeSlot, root: string): void {
  const dir = path.resolve(slot.dir);
  if (!dir.startsWith(path.resolve(root) + path.sep))
    throw new Error(`volume ${slot.name}: ${dir} is outside ${root}`);
  for (const e of fs.readdirSync(dir))
    fs.rmSync(path.join(dir, e), { recursive: true, force: true });
}

export async function reconcileVolumes(
  l: Layout,
  nodes: readonly ClusterNode[],
): Promise<VolumeReport> {
  await applyServerSide(l, asList([storageClass()]));
  const volumesDir = (node: ClusterNode) => nodeLayout(l, node).volumesDir;
  const wanted = volumeSlots(nodes, volumesDir);
  for (const s of wanted) fs.mkdirSync(s.dir, { recursive: true });
  const json = await kubectlOk(l, ["get", "pv", "-l", VOLUME_LABEL, "-o", "json"]);
  const existing = existingVolumes(
    (JSON.parse(json) as { items: Record<string, unknown>[] }).items,
  );
  const plan = volumePlan(wanted, existing);
  for (const s of plan.recycle) {
    emptyDir(s, volumesDir(s.node));
    await kubectlOk(l, [
      "patch",
      "pv",
      s.name,
      "--type=json",
      "-p",
      '[{"op":"remove","path":"/spec/claimRef"}]',
    ]);
  }
  for (const name of plan.remove) await kubectlOk(l, ["delete", "pv", name, "--wait=false"]);
  if (plan.create.length) await applyServerSide(l, asList(plan.create.map(persistentVolume)));
  const report = {
    total: wanted.length,
    created: plan.create.map((s) => s.name),
    recycled: plan.recycle.map((s) => {
      const claim = existing.find((v) => v.name === s.name)?.claim;
      return claim ? `${s.name} (was ${claim})` : s.name;
    }),
    removed: plan.remove,
    strandedBound: plan.strandedBound,
  };
  log(volumeSummary(report));
  return report;
}
