// One-binary OCI images the harness builds itself: the probe image (DNS/TCP checks from a
// pod), and pause/coredns stand-ins used only while cluster/images/index.ts is absent.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { runOk } from "./support/runCommand";

export interface OneBinaryImage {
  ref: string;
  binary: string;
  /** Path inside the image, e.g. /pause */
  target: string;
  user?: string;
}

const sha = (b: Buffer | string) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

/** The fully qualified name containerd stores for a reference. */
export function fullyQualified(ref: string): string {
  const slash = ref.indexOf("/");
  const first = slash < 0 ? "" : ref.slice(0, slash);
  const hasHost =
    slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  const named = hasHost ? ref : `docker.io/${slash < 0 ? `library/${ref}` : ref}`;
  const last = named.slice(named.lastIndexOf("/") + 1);
  return last.includes(":") || last.includes("@") ? named : `${named}:latest`;
}

/** The OCI documents of a one-layer image (pure): config, manifest and index.json. */
export function ociDocuments(
  img: Pick<OneBinaryImage, "ref" | "target" | "user">,
  layerDigest: string,
  layerSize: number,
) {
  const config = JSON.stringify({
    created: "2025-01-01T00:00:00Z",
    architecture: "amd64",
    os: "linux",
    config: { Entrypoint: [img.target], User: img.user ?? "65532:65532", Env: ["PATH=/"] },
    rootfs: { type: "layers", diff_ids: [layerDigest] },
  });
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: {
      mediaType: "application/vnd.oci.image.config.v1+json",
      digest: sha(config),
      size: Buffer.byteLength(config),
    },
    layers: [
      { mediaType: "application/vnd.oci.image.layer.v1.tar", digest: layerDigest, size: layerSize },
    ],
  });
  const full = fullyQualified(img.ref);
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [
      {
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        digest: sha(manifest),
        size: Buffer.byteLength(manifest),
        platform: { architecture: "amd64", os: "linux" },
        annotations: {
          "io.containerd.image.name": full,
          "org.opencontainers.image.ref.name": full.slice(full.lastIndexOf(":") + 1),
        },
      },
    ],
  });
  return { config, manifest, index, manifestDigest: sha(manifest) };
}

/** Writes <dir>/<name>.tar (cached by the binary's and the spec's hash). */
export async function buildOneBinaryImage(
  dir: string,
  img: OneBinaryImage,
): Promise<{ ref: string; tar: string }> {
  const bin = fs.readFileSync(img.binary);
  const key = sha(Buffer.concat([bin, Buffer.from(JSON.stringify({ ...img, binary: "" }))])).slice(
    7,
    19,
  );
  const name = path.basename(img.target);
  const tar = path.join(dir, `${name}-${key}.tar`);
  if (fs.existsSync(tar)) return { ref: img.ref, tar };
  const work = path.join(dir, `${name}-${key}.work`);
  fs.rmSync(work, { recursive: true, force: true });
  const tree = path.join(work, "tree");
  const blobs = path.join(work, "layout", "blobs", "sha256");
  fs.mkdirSync(path.join(tree, path.dirname(img.target)), { recursive: true });
  fs.mkdirSync(blobs, { recursive: true });
  fs.copyFileSync(img.binary, path.join(tree, img.target));
  fs.chmodSync(path.join(tree, img.target), 0o755);
  const layer = path.join(work, "layer.tar");
  await runOk("tar", [
    "--create",
    `--file=${layer}`,
    "--format=gnu",
    "--numeric-owner",
    "--owner=0",
    "--group=0",
    "--sort=name",
    "--mtime=@1735689600",
    "-C",
    tree,
    ".",
  ]);
  const layerBuf = fs.readFileSync(layer);
  const layerDigest = sha(layerBuf);
  const docs = ociDocuments(img, layerDigest, layerBuf.length);
  fs.renameSync(layer, path.join(blobs, layerDigest.slice(7)));
  for (const doc of [docs.config, docs.manifest])
    fs.writeFileSync(path.join(blobs, sha(doc).slice(7)), doc);
  fs.writeFileSync(path.join(work, "layout", "index.json"), docs.index);
  fs.writeFileSync(
    path.join(work, "layout", "oci-layout"),
    JSON.stringify({ imageLayoutVersion: "1.0.0" }),
  );
  await runOk("tar", [
    "--create",
    `--file=${tar}.part`,
    "--format=gnu",
    "--sort=name",
    "-C",
    path.join(work, "layout"),
    "index.json",
    "oci-layout",
    "blobs",
  ]);
  fs.renameSync(`${tar}.part`, tar);
  fs.rmSync(work, { recursive: true, force: true });
  return { ref: img.ref, tar };
}
