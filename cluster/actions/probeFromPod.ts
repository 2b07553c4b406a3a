// The end-to-end check of `up`: a pod resolves cluster names through CoreDNS (search path
// included) and reaches the API server and the host's shared services through their Services.
import { asList, INFRA_NAMESPACE, INFRA_SERVICES, PROBE_POD, probePod } from "../addons";
import { kubectl, kubectlOk } from "../adminKubectl";
import type { Layout } from "../clusterLayout";
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

export async function runDnsProbe(l: Layout, image: string): Promise<void> {
  await kubectl(l, [
    "-n",
    "default",
    "delete",
    "pod",
    PROBE_POD,
    "--ignore-not-found",
    "--wait=true",
  ]);
  // The default ServiceAccount appears shortly after the API server starts.
  await waitFor(
    async () =>
      (await kubectl(l, ["-n", "default", "get", "serviceaccount", "default"])).code === 0,
    60000,
    500,
  );
  await kubectlOk(l, ["apply", "-f", "-"], asList([probePod(image, probeArgs())]));
  let phase = "";
  const done = await waitFor(
    async () => {
      const r = await kubectl(l, [
        "-n",
        "default",
        "get",
        "pod",
        PROBE_POD,
        "-o",
        "jsonpath={.status.phase}",
      ]);
      phase = r.stdout.trim();
      return phase === "Succeeded" || phase === "Failed";
    },
    120000,
    500,
  );
  const logs = await kubectl(l, ["-n", "default", "logs", PROBE_POD]);
  for (const line of logs.stdout.trim().split("\n")) if (line) log(`probe: ${line}`);
  if (!done || phase !== "Succeeded") {
    throw new Error(
      `probe pod ${phase || "did not finish"} (kubectl -n default describe pod ${PROBE_POD})`,
    );
  }
  await kubectl(l, ["-n", "default", "delete", "pod", PROBE_POD, "--wait=false"]);
}

export const probeFromPod: UpAction = {
  name: "DNS + services from a pod",
  async run(ctx) {
    await runDnsProbe(ctx.layout, builtImages(ctx).probe);
  },
};
