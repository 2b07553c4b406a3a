/**
 * spark-platform/prometheus:2.42.0: a Prometheus server for the live suite's monitoring
 * namespace (docs/metrics.md), from Debian bookworm's `prometheus` package (pinned version
 * and SHA-256). Only its binary is taken, onto the shared Debian base (it links libc
 * alone); the package's web UI assets are not (the live checks use the HTTP API). Runs as
 * `nobody` (65534), like upstream's prom/prometheus.
 */
import { join } from "node:path";
import type { Base } from "./base";
import { download } from "./download";
import { type BuiltImage, type Ctx, buildImage } from "./image";
import { runOk } from "../support/runCommand";
import { step } from "./progress";

export const PROMETHEUS_REF = "spark-platform/prometheus:2.42.0";

export const PROMETHEUS_DEB = {
  version: "2.42.0+ds-5+deb12u1",
  url: "http://deb.debian.org/debian/pool/main/p/prometheus/prometheus_2.42.0%2Bds-5%2Bdeb12u1_amd64.deb",
  sha256: "81d59a24fce84f7fbe97a45a4f2914b6a5881b5cd1db2a6a0e129e515e1a5f55",
} as const;

/** Where the image keeps its TSDB (an emptyDir in the live suite's Deployment). */
export const PROMETHEUS_DATA_DIR = "/prometheus";

export async function prometheusImage(ctx: Ctx, base: Base): Promise<BuiltImage> {
  return buildImage(ctx, {
    name: "prometheus-2.42.0",
    lower: [base.layer],
    recipe: { deb: PROMETHEUS_DEB, revision: 1 },
    spec: {
      ref: PROMETHEUS_REF,
      user: "65534",
      workingDir: PROMETHEUS_DATA_DIR,
      env: ["PATH=/bin:/usr/bin"],
      entrypoint: ["/bin/prometheus"],
      cmd: [
        "--config.file=/etc/prometheus/prometheus.yml",
        `--storage.tsdb.path=${PROMETHEUS_DATA_DIR}`,
      ],
      labels: { "org.spark-platform.stand-in": "Prometheus 2.42.0 (Debian bookworm's package)" },
    },
    fill: async (tree) => {
      const deb = join(ctx.root, "downloads", `prometheus_${PROMETHEUS_DEB.version}_amd64.deb`);
      await step(ctx.log, "download prometheus .deb", () =>
        download(
          PROMETHEUS_DEB.url,
          deb,
          { algorithm: "sha256", hex: PROMETHEUS_DEB.sha256 },
          ctx.log,
        ),
      );
      const unpacked = join(tree, "..", "deb");
      await runOk("dpkg-deb", ["-x", deb, unpacked]);
      await runOk("mkdir", ["-p", join(tree, "bin"), join(tree, PROMETHEUS_DATA_DIR.slice(1))]);
      await runOk("cp", [
        join(unpacked, "usr", "bin", "prometheus"),
        join(tree, "bin", "prometheus"),
      ]);
      await runOk("chown", ["65534:65534", join(tree, PROMETHEUS_DATA_DIR.slice(1))]);
      await runOk("rm", ["-rf", unpacked]);
    },
  });
}
