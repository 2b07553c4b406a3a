// CoreDNS as Deployment kube-system/coredns behind Service kube-dns, until it is ready.
import { applyServerSide, deploymentReady } from "../adminKubectl";
import { asList, coreDns } from "../addons";
import { waitFor } from "../support/polling";
import { builtImages, UpAction } from "./upContext";

export const deployCoreDns: UpAction = {
  name: "coredns",
  async run(ctx) {
    await applyServerSide(ctx.layout, asList(coreDns(builtImages(ctx).coredns)));
    const ready = () => deploymentReady(ctx.layout, "kube-system", "coredns");
    if (!(await waitFor(ready, 180000, 1000))) {
      throw new Error(
        "CoreDNS not ready in 180 s (kubectl -n kube-system describe pod -l k8s-app=kube-dns)",
      );
    }
  },
};
