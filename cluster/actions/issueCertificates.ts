// The CA and every certificate of the cluster's nodes (each re-issued only when its spec
// changes; a joining node gets its kubelet's), then the kubeconfigs.
import { CONTROL_PLANE_NODE } from "../addressPlan";
import { writeKubeconfigs } from "../node/kubeconfigs";
import { certPlan, ensurePki } from "../node/pki";
import type { UpAction } from "./upContext";

export const issueCertificates: UpAction = {
  name: "certificates",
  async run(ctx) {
    await ensurePki(ctx.layout.pkiDir, certPlan(CONTROL_PLANE_NODE, ctx.nodes));
    writeKubeconfigs(ctx.layout, ctx.nodes);
  },
};
