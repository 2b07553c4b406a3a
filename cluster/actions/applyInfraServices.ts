// The spark-infra Services that point pods at the host's shared services; waits for those
// to have started (startSharedServices.ts runs in the background).
import { applyServerSide } from "../adminKubectl";
import { asList, infraServices } from "../addons";
import { SHARED_SERVICES } from "./startSharedServices";
import type { UpAction } from "./upContext";

export const applyInfraServices: UpAction = {
  name: "spark-infra services",
  awaits: [SHARED_SERVICES],
  async run(ctx) {
    await applyServerSide(ctx.layout, asList(infraServices()));
  },
};
