/**
 * A small OCI image writer: uncompressed layer tars made by GNU tar (numeric owners,
 * sorted names, clamped mtimes, so equal trees give equal digests), the image config,
 * the manifest, an index.json naming the image for containerd, and a tar of the layout
 * that `ctr -n k8s.io images import` reads. The JSON documents are built by pure
 * functions (tested); only `tarLayer` and `writeImageTar` touch the disk.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, link, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runOk } from "../support/runCommand";
import { cachedDigest } from "./download";

export const MEDIA = {
  layer: "application/vnd.oci.image.layer.v1.tar",
  config: "application/vnd.oci.image.config.v1+json",
  manifest: "application/vnd.oci.image.manifest.v1+json",
  index: "application/vnd.oci.image.index.v1+json",
} as const;

/** Layer mtimes are clamped to this instant (2025-01-01T00:00:00Z): reproducible trees. */
export const LAYER_MTIME_EPOCH = 1735689600;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string };
}

export interface Layer {
  file: string;
  /** `sha256:<hex>`; the layer is uncompressed, so this is also its diff ID. */
  digest: string;
  size: number;
}

export interface ImageSpec {
  /** The reference pods use, e.g. `apache/spark:3.5.7-scala2.12-java17-python3-ubuntu`. */
  ref: string;
  user?: string;
  env: string[];
  entrypoint?: string[];
  cmd?: string[];
  workingDir?: string;
  exposedPorts?: string[];
  labels?: Record<string, string>;
}

export function digestOf(data: string | Buffer): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/**
 * The fully qualified name containerd stores (`docker.io/library/x:tag` for bare names,
 * `docker.io/` for one-slash names, unchanged when the first part is a host).
 */
export function fullyQualified(ref: string): string {
  const slash = ref.indexOf("/");
  const first = slash < 0 ? "" : ref.slice(0, slash);
  const hasHost =
    slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  const named = hasHost ? ref : `docker.io/${slash < 0 ? `library/${ref}` : ref}`;
  const lastPart = named.slice(named.lastIndexOf("/") + 1);
  return lastPart.includes(":") || lastPart.includes("@") ? named : `${named}:latest`;
}

/** The tag of a reference (`latest` when it has none). */
export function tagOf(ref: string): string {
  const full = fullyQualified(ref);
  return full.slice(full.lastIndexOf(":") + 1);
}

export function imageConfig(spec: ImageSpec, layers: readonly Layer[]) {
  const config: Record<string, unknown> = { Env: spec.env };
  if (spec.user !== undefined) config.User = spec.user;
  if (spec.entrypoint) config.Entrypoint = spec.entrypoint;
  if (spec.cmd) config.Cmd = spec.cmd;
  if (spec.workingDir) config.WorkingDir = spec.workingDir;
  if (spec.exposedPorts?.length) {
    config.ExposedPorts = Object.fromEntries(spec.exposedPorts.map((p) => [p, {}]));
  }
  if (spec.labels) config.Labels = spec.labels;
  return {
    created: new Date(LAYER_MTIME_EPOCH * 1000).toISOString(),
    architecture: "amd64",
    os: "linux",
    config,
    rootfs: { type: "layers", diff_ids: layers.map((l) => l.digest) },
    history: layers.map(() => ({ created_by: "spark-platform cluster/images" })),
  };
}

export function descriptorOf(mediaType: string, json: string): Descriptor {
  return { mediaType, digest: digestOf(json), size: Buffer.byteLength(json) };
}

export function imageManifest(config: Descriptor, layers: readonly Layer[]) {
  return {
    schemaVersion: 2,
    mediaType: MEDIA.manifest,
    config,
    layers: layers.map((l) => ({ mediaType: MEDIA.layer, digest: l.digest, size: l.size })),
  };
}

export function imageIndex(manifest: Descriptor, ref: string) {
  return {
    schemaVersion: 2,
    mediaType: MEDIA.index,
    manifests: [
      {
        ...manifest,
        platform: { architecture: "amd64", os: "linux" },
        annotations: {
          "io.containerd.image.name": fullyQualified(ref),
          "org.opencontainers.image.ref.name": tagOf(ref),
        },
      },
    ],
  };
}

/** The JSON documents of one image, keyed by their blob digests, plus index.json. */
export function layoutDocuments(spec: ImageSpec, layers: readonly Layer[]) {
  const configJson = JSON.stringify(imageConfig(spec, layers));
  const configDesc = descriptorOf(MEDIA.config, configJson);
  const manifestJson = JSON.stringify(imageManifest(configDesc, layers));
  const manifestDesc = descriptorOf(MEDIA.manifest, manifestJson);
  return {
    blobs: new Map([
      [configDesc.digest, configJson],
      [manifestDesc.digest, manifestJson],
    ]),
    manifestDigest: manifestDesc.digest,
    indexJson: JSON.stringify(imageIndex(manifestDesc, spec.ref)),
  };
}

export interface TarLayerOptions {
  /** Patterns for GNU tar's --exclude (relative to the tree, e.g. `./dev/*`). */
  exclude?: string[];
}

/** Tars `dir` into `out` reproducibly; reuses `out` if it exists (callers key it by recipe). */
export async function tarLayer(
  dir: string,
  out: string,
  options: TarLayerOptions = {},
): Promise<Layer> {
  if (!existsSync(out)) {
    const part = `${out}.part`;
    const args = [
      "--create",
      `--file=${part}`,
      "--format=gnu",
      "--numeric-owner",
      "--sort=name",
      `--mtime=@${LAYER_MTIME_EPOCH}`,
      "--clamp-mtime",
      ...(options.exclude ?? []).map((p) => `--exclude=${p}`),
      "-C",
      dir,
      ".",
    ];
    await runOk("tar", args, { nice: 10 });
    await rename(part, out);
  }
  return { file: out, digest: `sha256:${await cachedDigest(out)}`, size: (await stat(out)).size };
}

/** Writes the OCI layout of one image into `work` and tars it to `out`. */
export async function writeImageTar(
  spec: ImageSpec,
  layers: readonly Layer[],
  work: string,
  out: string,
) {
  await rm(work, { recursive: true, force: true });
  const blobDir = join(work, "blobs", "sha256");
  await mkdir(blobDir, { recursive: true });
  for (const layer of layers) {
    const target = join(blobDir, layer.digest.slice("sha256:".length));
    if (existsSync(target)) continue;
    await link(layer.file, target).catch(() => copyFile(layer.file, target));
  }
  const docs = layoutDocuments(spec, layers);
  for (const [digest, json] of docs.blobs) {
    await writeFile(join(blobDir, digest.slice("sha256:".length)), json);
  }
  await writeFile(join(work, "index.json"), docs.indexJson);
  await writeFile(join(work, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  const part = `${out}.part`;
  await runOk(
    "tar",
    ["--create", `--file=${part}`, "--format=gnu", "--sort=name", "-C", work, "."],
    {
      nice: 10,
    },
  );
  await rename(part, out);
  await rm(work, { recursive: true, force: true });
  return docs.manifestDigest;
}
