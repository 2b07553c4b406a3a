/**
 * One-binary images for the cluster's own needs: the pod sandbox (pause) and cluster DNS
 * (CoreDNS). The cluster helper builds both static Go binaries and passes their paths.
 */
import { chmod, copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type BuiltImage, type Ctx, buildImage } from "./image";
import { type ImageSpec } from "./oci";
import { cachedDigest } from "./progress";

export const PAUSE_REF = "registry.k8s.io/pause:3.10";
export const COREDNS_REF = "registry.k8s.io/coredns/coredns:v1.12.4";

const SPECS: Record<"pause" | "coredns", ImageSpec> = {
  // As upstream: the pause image runs as 65535.
  pause: { ref: PAUSE_REF, user: "65535:65535", env: [], entrypoint: ["/pause"] },
  // As upstream (distroless "nonroot"): uid 65532; the Deployment passes -conf.
  coredns: {
    ref: COREDNS_REF,
    user: "65532:65532",
    env: ["PATH=/"],
    entrypoint: ["/coredns"],
    exposedPorts: ["53/tcp", "53/udp"],
  },
};

export async function staticBinaryImage(
  ctx: Ctx,
  name: "pause" | "coredns",
  binary: string,
): Promise<BuiltImage> {
  return buildImage(ctx, {
    name,
    lower: [],
    recipe: { binary: await cachedDigest(binary), revision: 1 },
    spec: SPECS[name],
    fill: async (tree) => {
      await copyFile(binary, join(tree, name));
      await mkdir(join(tree, "tmp"), { mode: 0o1777 });
      await chmod(join(tree, name), 0o755);
      await chmod(join(tree, "tmp"), 0o1777);
    },
  });
}
