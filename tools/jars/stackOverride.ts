/**
 * The stack configuration that makes a stack run the derived images: `jars.source: image`
 * (which also drops `jars.repository` and `jars.egressCidrs`, refused with it) and, in every
 * release whose Spark, Hive or History Server image is an official default that a derived
 * image extends, that derived image instead. Pure: the stack's raw releases and the built
 * references in, `spark-platform:*` values out (what `preparePlatformStack`'s `overrides`
 * and a stack file take).
 */
import type { RawConfig } from "../../lib/config/model";
import type { RawRelease } from "../../lib/config/schema";
import { derivedImageRef, type DerivedImage } from "../../lib/jars/images";
import { defaultHiveMetastoreImage, defaultSparkImage } from "../../lib/spark/versions";

/** Official image → derived image reference, for the images built. */
export function derivedRefsByBase(
  images: readonly DerivedImage[],
  registry?: string,
): ReadonlyMap<string, string> {
  return new Map(images.map((i) => [i.base, derivedImageRef(i, registry)]));
}

export interface DerivedImagesOverride {
  /** `spark-platform:*` values (without the namespace) replacing the stack's. */
  readonly values: { readonly jars: { readonly source: "image" }; readonly releases: RawRelease[] };
  /** Images of the stack no derived image replaces (their pods' jar checks would fail). */
  readonly unreplaced: readonly string[];
}

export function derivedImagesOverride(
  releases: readonly RawRelease[],
  refs: ReadonlyMap<string, string>,
): DerivedImagesOverride {
  const unreplaced = new Set<string>();
  const replace = (image: string) => {
    const derived = refs.get(image);
    if (!derived && ![...refs.values()].includes(image)) unreplaced.add(image);
    return derived ?? image;
  };
  const out = releases.map((release): RawRelease => {
    const { name, sparkVersion, mode, image: _stackImage, ...rest } = release;
    const image = replace(release.image ?? defaultSparkImage(sparkVersion));
    // `image` right after the release's identity, where a reader of the stack file looks.
    const next: RawRelease = { name, sparkVersion, mode, image, ...rest };
    const metastoreEnabled = release.hiveMetastore?.enabled !== false;
    if (metastoreEnabled) {
      const hive = release.hiveMetastore?.image ?? defaultHiveMetastoreImage(release.sparkVersion);
      next.hiveMetastore = { ...release.hiveMetastore, image: replace(hive) };
    }
    // The History Server runs the release image unless it names its own.
    if (release.historyServer?.image !== undefined) {
      next.historyServer = {
        ...release.historyServer,
        image: replace(release.historyServer.image),
      };
    }
    return next;
  });
  return { values: { jars: { source: "image" }, releases: out }, unreplaced: [...unreplaced] };
}

/** A raw config with `spark-platform:*` values replaced (whole top-level keys). */
export function withValues(raw: RawConfig, values: Readonly<Record<string, unknown>>): RawConfig {
  return { ...raw, values: { ...raw.values, ...values } };
}
