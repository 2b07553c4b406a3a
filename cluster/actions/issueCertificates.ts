// The CA and every certificate (re-issued only when the plan changes), then the kubeconfigs.
import { CONTROL_PLANE_NODE } from "../addressPlan";
import { writeKubeconfigs } from "../node/kubeconfigs";
import { certPlan, ensurePki } from "../node/pki";
import type { UpAction } from "./upContext";

export const issueCertificates: UpAction = {
  name: "certificates",
  async run(ctx) {
    await ensurePki(ctx.layout.pkiDir, certPlan(CONTROL_PLANE_NODE, ctx.node));
    writeKubeconfigs(ctx.layout);
  },
};
