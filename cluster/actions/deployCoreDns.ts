// CoreDNS as Deployment kube-system/coredns behind Service kube-dns, until it is ready.
import { applyServerSide, podReadySince } from "../adminKubectl";
import { asList, coreDns } from "../addons";
import { waitFor } from "../support/polling";
import { builtImages, UpAction } from "./upContext";

export const deployCoreDns: UpAction = {
  name: "coredns",
  async run(ctx) {
    await applyServerSide(ctx.layout, asList(coreDns(builtImages(ctx).coredns)));
    // Its pod Ready in this run (a cluster brought back keeps the old pod's last status).
    const ready = () => podReadySince(ctx.layout, "kube-system", "k8s-app=kube-dns", ctx.startedAt);
    if (!(await waitFor(ready, 180000, 1000))) {
      throw new Error(
        "CoreDNS not ready in 180 s (kubectl -n kube-system describe pod -l k8s-app=kube-dns)",
      );
    }
  },
};
