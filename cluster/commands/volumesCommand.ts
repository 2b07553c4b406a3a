// `volumes`: the storage reconcile on the running cluster (storage/reconcileVolumes.ts).
import { apiReady } from "../adminKubectl";
import type { Layout } from "../clusterLayout";
import { clusterNodes } from "../node/clusterNode";
import { recordedNodeCount } from "../nodeCount";
import { reconcileVolumes } from "../storage/reconcileVolumes";
import { log } from "../support/clusterLog";

export async function volumesCommand(l: Layout): Promise<number> {
  if (!(await apiReady(l))) {
    log("volumes: the API server does not answer (npm run cluster -- up)");
    return 1;
  }
  await reconcileVolumes(l, clusterNodes(recordedNodeCount(l) ?? 1));
  return 0;
}
