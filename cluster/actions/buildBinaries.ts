// The cluster's binaries, built from the Go module proxy into the cache when missing.
import { ensureBuilt } from "../build/ensureBuilt";
import type { UpAction } from "./upContext";

export const buildBinaries: UpAction = {
  name: "build",
  async run(ctx) {
    await ensureBuilt(ctx.layout);
  },
};
