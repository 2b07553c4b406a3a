// The images the cluster imports into its nodes' containerd: pause, coredns and our probe
// first (the node needs them), the platform's stand-ins of cluster/images after DNS is up.
// All are built and cached by cluster/images.
import type { Binaries } from "./build/partBinaries";
import type { Layout } from "./clusterLayout";
import { buildImages, COREDNS_REF, imagesContext, PAUSE_REF } from "./images/buildImages";
import { CONNECT_TLS_REF, oneBinaryImage, PROBE_REF } from "./images/oneBinaryImage";
import { log } from "./support/clusterLog";

export interface ImageTar {
  ref: string;
  tar: string;
}

export interface CoreImages {
  pause: string;
  coredns: string;
  probe: string;
  /** In import order: pause, coredns, probe. */
  tars: ImageTar[];
}

/** Builds (cached) the images the cluster itself needs: pause, coredns, probe. */
export async function coreImages(l: Layout, bins: Binaries): Promise<CoreImages> {
  const binaries = { pause: bins.bin("pause"), coredns: bins.bin("coredns") };
  const tars = await buildImages({
    cacheDir: l.cacheDir,
    log,
    binaries,
    only: [PAUSE_REF, COREDNS_REF],
  });
  const probe = await oneBinaryImage(imagesContext(l.cacheDir, log), "probe", bins.bin("probe"));
  return {
    pause: PAUSE_REF,
    coredns: COREDNS_REF,
    probe: PROBE_REF,
    tars: [...tars, probe].map(({ ref, tar }) => ({ ref, tar })),
  };
}

/**
 * Every stand-in of cluster/images (Spark, Hive, ...; pause and coredns again, cached), and
 * the platform's own Connect TLS terminator (`connect.tlsImage` of the local stacks).
 */
export async function standInImages(l: Layout, bins: Binaries): Promise<ImageTar[]> {
  const standIns = await buildImages({
    cacheDir: l.cacheDir,
    log,
    binaries: { pause: bins.bin("pause"), coredns: bins.bin("coredns") },
  });
  const connectTls = await oneBinaryImage(
    imagesContext(l.cacheDir, log),
    "connect-tls",
    bins.bin("connect-tls"),
  );
  return [...standIns, { ref: CONNECT_TLS_REF, tar: connectTls.tar }];
}
