// Clears what an earlier run left (processes, mounts, netns, containers, ...) and makes the
// directories this run writes into.
import * as fs from "node:fs";
import { clearLeftovers as clearAll } from "../cleanup/leftoverRemoval";
import type { UpAction } from "./upContext";

export const clearLeftovers: UpAction = {
  name: "clear leftovers",
  async run(ctx) {
    const [l, nl] = [ctx.layout, ctx.nodeLayout];
    await clearAll(l, ctx.procs, [ctx.node]);
    const dirs = [l.logDir, l.pidDir, l.etcdDataDir, nl.kubeletRoot, nl.podLogsDir];
    for (const d of dirs) fs.mkdirSync(d, { recursive: true });
  },
};
