// The images the cluster imports into containerd: the stand-ins of cluster/images (pause,
// coredns and the platform's images), plus our probe image for the DNS check.
import * as fs from "node:fs";
import * as path from "node:path";
import { importImage } from "./node/containerd";
import { log } from "./support/runCommand";
import { Layout } from "./clusterLayout";
import { buildOneBinaryImage, fullyQualified } from "./testimages";

export const PROBE_REF = "localhost/spark-platform/probe:v1";
const FALLBACK_PAUSE_REF = "localhost/spark-platform/pause:fallback";
const FALLBACK_COREDNS_REF = "localhost/spark-platform/coredns:fallback";

interface ImagesModule {
  buildImages(o: {
    cacheDir: string;
    log: (line: string) => void;
    binaries: { pause: string; coredns: string };
    only?: readonly string[];
  }): Promise<{ ref: string; tar: string }[]>;
  PAUSE_REF?: string;
  COREDNS_REF?: string;
}

export interface Binaries {
  pause: string;
  coredns: string;
  probe: string;
}

export interface CoreImages {
  pause: string;
  coredns: string;
  probe: string;
  /** Where the refs came from: cluster/images, or our fallback stand-ins. */
  source: "cluster/images" | "fallback";
  tars: { ref: string; tar: string }[];
}

async function loadImagesModule(): Promise<ImagesModule | undefined> {
  if (!fs.existsSync(path.join(__dirname, "images", "index.ts"))) return undefined;
  try {
    return (await import("./images/buildImages")) as ImagesModule;
  } catch (e) {
    log(
      `images: cluster/images cannot be loaded (${(e as Error).message.split("\n")[0]}); using fallback images`,
    );
    return undefined;
  }
}

/** Builds (cached) the images the cluster itself needs: pause, coredns, probe. */
export async function coreImages(l: Layout, bins: Binaries): Promise<CoreImages> {
  const dir = path.join(l.clusterDir, "harness-images");
  fs.mkdirSync(dir, { recursive: true });
  const probe = await buildOneBinaryImage(dir, {
    ref: PROBE_REF,
    binary: bins.probe,
    target: "/probe",
  });
  const mod = await loadImagesModule();
  if (mod?.PAUSE_REF && mod.COREDNS_REF) {
    const tars = await mod.buildImages({
      cacheDir: l.cacheDir,
      log,
      binaries: { pause: bins.pause, coredns: bins.coredns },
      only: [mod.PAUSE_REF, mod.COREDNS_REF],
    });
    return {
      pause: mod.PAUSE_REF,
      coredns: mod.COREDNS_REF,
      probe: PROBE_REF,
      source: "cluster/images",
      tars: [...tars, probe],
    };
  }
  const pause = await buildOneBinaryImage(dir, {
    ref: FALLBACK_PAUSE_REF,
    binary: bins.pause,
    target: "/pause",
  });
  const coredns = await buildOneBinaryImage(dir, {
    ref: FALLBACK_COREDNS_REF,
    binary: bins.coredns,
    target: "/coredns",
  });
  return {
    pause: pause.ref,
    coredns: coredns.ref,
    probe: PROBE_REF,
    source: "fallback",
    tars: [pause, coredns, probe],
  };
}

/** All remaining stand-in images of cluster/images (Spark, Hive, ...), built and cached there. */
export async function standInImages(
  l: Layout,
  bins: Binaries,
): Promise<{ ref: string; tar: string }[]> {
  const mod = await loadImagesModule();
  if (!mod) return [];
  return mod.buildImages({
    cacheDir: l.cacheDir,
    log,
    binaries: { pause: bins.pause, coredns: bins.coredns },
  });
}

/** Imports each tarball unless the same digest is already there. */
export async function importAll(l: Layout, images: { ref: string; tar: string }[]): Promise<void> {
  for (const img of images) {
    const start = Date.now();
    const r = await importImage(l, fullyQualified(img.ref), img.tar);
    log(`image ${img.ref}: ${r} (${((Date.now() - start) / 1000).toFixed(1)}s)`);
  }
}
