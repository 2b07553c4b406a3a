// The PodMonitor CRD (a stand-in without the operator's schema: addons.ts), so a stack with
// `monitoring.podMonitors` applies on the local cluster. Idempotent; runs on every `up`.
import { applyServerSide } from "../adminKubectl";
import { asList, podMonitorCrd } from "../addons";
import type { UpAction } from "./upContext";

export const applyPodMonitorCrd: UpAction = {
  name: "PodMonitor CRD",
  async run(ctx) {
    await applyServerSide(ctx.layout, asList([podMonitorCrd()]));
  },
};
