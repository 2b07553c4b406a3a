// The end-to-end check of `up`, on every node: a pod pinned to the node resolves cluster
// names through CoreDNS (search path included) and reaches the API server and the host's
// shared services through their Services (on a later node: across the peer link to CoreDNS
// and the API server, over its own link to the host for the shared services).
import { asList, INFRA_NAMESPACE, INFRA_SERVICES, probePod, probePodName } from "../addons";
import { kubectl, kubectlOk } from "../adminKubectl";
import type { Layout } from "../clusterLayout";
import { ClusterNode, forNode } from "../node/clusterNode";
import { log } from "../support/clusterLog";
import { waitFor } from "../support/polling";
import { builtImages, UpAction } from "./upContext";

export function probeArgs(): string[] {
  return [
    "dns",
    "kubernetes.default.svc",
    "kube-dns.kube-system.svc",
    ...INFRA_SERVICES.map((s) => `${s.name}.${INFRA_NAMESPACE}.svc`),
    "tcp",
    "kubernetes.default.svc:443",
    ...INFRA_SERVICES.map((s) => `${s.name}.${INFRA_NAMESPACE}.svc:${s.port}`),
  ];
}

export async function runDnsProbe(l: Layout, image: string, node: ClusterNode): Promise<void> {
  const pod = probePodName(node);
  await kubectl(l, ["-n", "default", "delete", "pod", pod, "--ignore-not-found", "--wait=true"]);
  // The default ServiceAccount appears shortly after the API server starts.
  await waitFor(
    async () =>
      (await kubectl(l, ["-n", "default", "get", "serviceaccount", "default"])).code === 0,
    60000,
    500,
  );
  await kubectlOk(l, ["apply", "-f", "-"], asList([probePod(image, probeArgs(), node)]));
  let phase = "";
  const done = await waitFor(
    async () => {
      const r = await kubectl(l, [
        "-n",
        "default",
        "get",
        "pod",
        pod,
        "-o",
        "jsonpath={.status.phase}",
      ]);
      phase = r.stdout.trim();
      return phase === "Succeeded" || phase === "Failed";
    },
    120000,
    500,
  );
  const logs = await kubectl(l, ["-n", "default", "logs", pod]);
  const prefix = node.index === 1 ? "probe" : `probe (${node.name})`;
  for (const line of logs.stdout.trim().split("\n")) if (line) log(`${prefix}: ${line}`);
  if (!done || phase !== "Succeeded") {
    throw new Error(
      `probe pod ${phase || "did not finish"} (kubectl -n default describe pod ${pod})`,
    );
  }
  await kubectl(l, ["-n", "default", "delete", "pod", pod, "--wait=false"]);
}

export function probeFromPod(node: ClusterNode): UpAction {
  return {
    name: forNode(node, "DNS + services from a pod"),
    async run(ctx) {
      await runDnsProbe(ctx.layout, builtImages(ctx).probe, node);
    },
  };
}
