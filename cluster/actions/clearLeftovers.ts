// Clears what an earlier run left (processes, mounts, netns, containers, ...) and makes the
// directories this run writes into.
import * as fs from "node:fs";
import { clearLeftovers as clearAll } from "../cleanup/leftoverRemoval";
import type { UpAction } from "./upContext";

export const clearLeftovers: UpAction = {
  name: "clear leftovers",
  async run(ctx) {
    const l = ctx.layout;
    await clearAll(l, ctx.procs, [ctx.node]);
    for (const d of [
      l.logDir,
      l.pidDir,
      l.etcdDataDir,
      ctx.nodeLayout.kubeletRoot,
      ctx.nodeLayout.podLogsDir,
    ])
      fs.mkdirSync(d, { recursive: true });
  },
};
