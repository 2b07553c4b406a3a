/**
 * Images of one static Go binary (plus an empty /tmp): the pod sandbox (pause), cluster DNS
 * (CoreDNS) and our probe (DNS/TCP checks from a pod). The cluster harness builds the three
 * binaries (cluster/build) and passes their paths; the image is cached by the binary's digest.
 */
import { chmod, copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { cachedDigest } from "./download";
import { type BuiltImage, type Ctx, buildImage } from "./image";
import { type ImageSpec } from "./oci";

export const PAUSE_REF = "registry.k8s.io/pause:3.10";
export const COREDNS_REF = "registry.k8s.io/coredns/coredns:v1.12.4";
export const PROBE_REF = "localhost/spark-platform/probe:v1";

export type OneBinaryName = "pause" | "coredns" | "probe";

export const ONE_BINARY_SPECS: Readonly<Record<OneBinaryName, ImageSpec>> = {
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
  // Ours; the probe pod passes its checks as arguments.
  probe: { ref: PROBE_REF, user: "65532:65532", env: ["PATH=/"], entrypoint: ["/probe"] },
};

/** Builds (or finds cached) the image of `binary` at /<name>. */
export async function oneBinaryImage(
  ctx: Ctx,
  name: OneBinaryName,
  binary: string,
): Promise<BuiltImage> {
  return buildImage(ctx, {
    name,
    lower: [],
    recipe: { binary: await cachedDigest(binary), revision: 1 },
    spec: ONE_BINARY_SPECS[name],
    fill: async (tree) => {
      await copyFile(binary, join(tree, name));
      await mkdir(join(tree, "tmp"), { mode: 0o1777 });
      await chmod(join(tree, name), 0o755);
      await chmod(join(tree, "tmp"), 0o1777);
    },
  });
}
