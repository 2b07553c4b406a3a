// StorageClass spark-platform-local and every node's pool of `local` volumes, Released ones
// emptied and made Available again (storage/reconcileVolumes.ts).
import { reconcileVolumes } from "../storage/reconcileVolumes";
import type { UpAction } from "./upContext";

export const reconcileStorage: UpAction = {
  name: "volumes",
  async run(ctx) {
    await reconcileVolumes(ctx.layout, ctx.nodes);
  },
};
