/**
 * Pure parts of the derived-image build (`npm run jars -- build-images`): what an image is
 * built from (its recipe, whose hash names the cached archive), the archive's file name,
 * which stand-in archive is an image's base, and the index.json annotations that make
 * `ctr -n k8s.io images import` name the image.
 */
import { LAYER_MTIME_EPOCH, fullyQualified, tagOf } from "../../cluster/images/oci";
import { cacheKey } from "../../cluster/images/recipe";
import { derivedImageRef, type DerivedImage } from "../../lib/jars/images";

/**
 * Raised when a change to the build itself (not to its inputs) must rebuild every archive:
 * the build command's arguments, the export, the annotations.
 */
export const BUILDER_REVISION = 2;

/**
 * Every file the build adds, and the image's `created`, are dated this instant
 * (`buildah bud --timestamp`), the stand-ins' epoch: equal inputs give equal digests.
 */
export const BUILD_TIMESTAMP = LAYER_MTIME_EPOCH;

/** Everything a derived image's archive depends on; its hash names the archive. */
export interface DerivedImageRecipe {
  readonly name: string;
  /** The reference the archive names (containerd imports it under this name). */
  readonly ref: string;
  /** images/<name>/Dockerfile and jars.txt as committed (the build context). */
  readonly dockerfile: string;
  readonly jarsList: string;
  /** The base the Dockerfile's `FROM ${BASE}` resolves to, by manifest digest. */
  readonly base: { readonly ref: string; readonly manifestDigest: string };
  /** `buildah --version` (it writes the config and the new layer). */
  readonly buildah: string;
  readonly timestamp: number;
  readonly revision: number;
}

/**
 * The recipe of one image. The jar stage's Debian image and the Maven repository are not in
 * it: the stage only downloads, and jars.txt pins every jar's SHA-256, which the build
 * checks, so they cannot change what the archive holds.
 */
export function derivedImageRecipe(
  image: DerivedImage,
  files: { dockerfile: string; jarsList: string },
  base: { ref: string; manifestDigest: string },
  buildah: string,
  registry?: string,
): DerivedImageRecipe {
  return {
    name: image.name,
    ref: derivedImageRef(image, registry),
    dockerfile: files.dockerfile,
    jarsList: files.jarsList,
    base,
    buildah: buildah.trim(),
    timestamp: BUILD_TIMESTAMP,
    revision: BUILDER_REVISION,
  };
}

/** `<name>-<first 16 hex of the recipe hash>.tar`, e.g. `spark-3.5-0123456789abcdef.tar`. */
export function archiveFileName(recipe: DerivedImageRecipe): string {
  return `${cacheKey(recipe.name, recipe)}.tar`;
}

/** Earlier archives of the same image in a directory listing (not `keep`, not other images). */
export function staleArchives(files: readonly string[], name: string, keep: string): string[] {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`^${escaped}-[0-9a-f]{16}\\.tar$`);
  return files.filter((file) => file !== keep && pattern.test(file));
}

interface IndexDocument {
  manifests?: { annotations?: Record<string, string> }[];
  [key: string]: unknown;
}

/**
 * index.json of an exported layout with the names containerd and OCI tools read:
 * `io.containerd.image.name` (the fully qualified reference `ctr images import` stores;
 * without it ctr names the image `import-<date>:<tag>` unless given `--base-name`) and
 * `org.opencontainers.image.ref.name` (the tag, as the stand-ins write it).
 */
export function containerdIndex(indexJson: string, ref: string): string {
  const index = JSON.parse(indexJson) as IndexDocument;
  if (!index.manifests || index.manifests.length !== 1) {
    throw new Error(
      `expected one manifest in the exported index, found ${index.manifests?.length ?? 0}`,
    );
  }
  const [manifest] = index.manifests;
  manifest!.annotations = {
    ...manifest!.annotations,
    "io.containerd.image.name": fullyQualified(ref),
    "org.opencontainers.image.ref.name": tagOf(ref),
  };
  return JSON.stringify(index);
}

/**
 * What an OCI archive's index.json says it holds: the fully qualified image name (from
 * `io.containerd.image.name`, else a full reference in `org.opencontainers.image.ref.name`)
 * and the manifest digest.
 */
export interface ArchiveIndexEntry {
  readonly imageName: string | undefined;
  readonly manifestDigest: string;
}

export function archiveIndexEntries(indexJson: string): ArchiveIndexEntry[] {
  const index = JSON.parse(indexJson) as {
    manifests?: { digest: string; annotations?: Record<string, string> }[];
  };
  return (index.manifests ?? []).map((m) => {
    const named = m.annotations?.["io.containerd.image.name"];
    // skopeo's `oci-archive:<file>:<reference>` names the image only as ref.name.
    const ref = m.annotations?.["org.opencontainers.image.ref.name"];
    const full = ref && /[/:]/.test(ref) ? fullyQualified(ref) : undefined;
    return { imageName: named ?? full, manifestDigest: m.digest };
  });
}

/**
 * The archive among `candidates` holding `baseRef` (compared fully qualified, so
 * `apache/hive:3.1.3` finds `docker.io/apache/hive:3.1.3`); the newest one when several do.
 */
export function archiveFor<T extends { entries: readonly ArchiveIndexEntry[]; mtimeMs: number }>(
  baseRef: string,
  candidates: readonly T[],
): { archive: T; manifestDigest: string } | undefined {
  const wanted = fullyQualified(baseRef);
  const found = candidates
    .flatMap((archive) =>
      archive.entries
        .filter((e) => e.imageName === wanted)
        .map((e) => ({ archive, manifestDigest: e.manifestDigest })),
    )
    .sort((a, b) => b.archive.mtimeMs - a.archive.mtimeMs);
  return found[0];
}
