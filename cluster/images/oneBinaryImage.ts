/**
 * Images of one static Go binary (plus an empty /tmp): the pod sandbox (pause), cluster DNS
 * (CoreDNS), our probe (DNS/TCP checks from a pod) and the Connect server's TLS terminator
 * (images/connect-tls). The cluster harness builds the binaries (cluster/build) and passes
 * their paths; the image is cached by the binary's digest.
 */
import { chmod, copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { cachedDigest } from "./download";
import { type BuiltImage, type Ctx, buildImage } from "./image";
import { type ImageSpec } from "./oci";
import { DEFAULT_CONNECT_TLS_IMAGE } from "../../lib/spark/versions";

export const PAUSE_REF = "registry.k8s.io/pause:3.10";
export const COREDNS_REF = "registry.k8s.io/coredns/coredns:v1.12.4";
export const PROBE_REF = "localhost/spark-platform/probe:v1";
/** What the local stacks' Connect releases run beside the server (`connect.tlsImage`'s default). */
export const CONNECT_TLS_REF = DEFAULT_CONNECT_TLS_IMAGE;

export type OneBinaryName = "pause" | "coredns" | "probe" | "connect-tls";

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
  // Ours; the Connect server's pod runs it as its Spark uid and passes its flags.
  "connect-tls": {
    ref: CONNECT_TLS_REF,
    user: "65532:65532",
    env: ["PATH=/"],
    entrypoint: ["/connect-tls"],
    exposedPorts: ["15002/tcp"],
  },
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
