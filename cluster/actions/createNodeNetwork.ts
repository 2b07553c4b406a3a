// The node's network namespace and its veth pair to the host.
import { ensureNodeNetwork } from "../node/nodeNetwork";
import type { UpAction } from "./upContext";

export const createNodeNetwork: UpAction = {
  name: "node network",
  async run(ctx) {
    await ensureNodeNetwork(ctx.node);
  },
};
