/**
 * buildah and skopeo on a storage of our own (no daemon, no system storage): which
 * arguments and environment every call gets (pure, tested), and the few operations the
 * derived-image build needs: import a base from an OCI archive, run a Dockerfile, export
 * the result as an OCI archive containerd can import.
 */
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fullyQualified, tagOf } from "../../cluster/images/oci";
import { run, runOk } from "../../cluster/support/runCommand";
import { containerdIndex } from "./derivedImageRecipe";

/** overlay (the default: layers shared, mounts instant) or vfs (full copies; works anywhere). */
export type StorageDriver = "overlay" | "vfs";

/** A containers-storage of our own and the files that configure the tools for it. */
export interface BuilderStorage {
  readonly root: string;
  readonly runroot: string;
  readonly driver: StorageDriver;
  /** registries.conf naming docker.io as the registry of short names (nothing is pulled). */
  readonly registriesConf: string;
  /** Where skopeo unpacks oci-archive inputs (hundreds of MiB: next to the storage, not /tmp). */
  readonly tmpDir: string;
}

export function builderStorage(dir: string, driver: StorageDriver): BuilderStorage {
  return {
    root: join(dir, `storage-${driver}`),
    runroot: join(dir, `run-${driver}`),
    driver,
    registriesConf: join(dir, "registries.conf"),
    tmpDir: join(dir, "tmp"),
  };
}

/**
 * Short names (`FROM debian:bookworm-slim`, `apache/spark:...`) resolve to docker.io as
 * Docker resolves them, whatever the host's /etc/containers says; builds never pull
 * (`--pull=never`), so this only names what the storage holds.
 */
export const REGISTRIES_CONF =
  'unqualified-search-registries = ["docker.io"]\nshort-name-mode = "permissive"\n';

/** Global options of every buildah call. */
export function buildahGlobalArgs(s: BuilderStorage): string[] {
  return ["--root", s.root, "--runroot", s.runroot, "--storage-driver", s.driver];
}

/** The environment of every buildah and skopeo call. */
export function toolEnv(
  s: BuilderStorage,
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return { ...env, CONTAINERS_REGISTRIES_CONF: s.registriesConf, TMPDIR: s.tmpDir };
}

/** skopeo's name of an image in our storage. */
export function storageReference(s: BuilderStorage, ref: string): string {
  return `containers-storage:[${s.driver}@${s.root}+${s.runroot}]${fullyQualified(ref)}`;
}

/** What one Dockerfile run needs. */
export interface BudSpec {
  readonly contextDir: string;
  readonly tag: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly timestamp: number;
}

/**
 * `buildah bud` of a Dockerfile as it is: chroot isolation (no runtime, no namespaces to
 * set up; RUN steps use the host's network, which reaches a mirror on loopback),
 * `--pull=never` (bases and debian:bookworm-slim come from the storage, never a registry),
 * `--timestamp` (reproducible layers and config).
 */
export function budArgs(s: BuilderStorage, spec: BudSpec): string[] {
  const buildArgs = Object.entries(spec.buildArgs).flatMap(([k, v]) => [
    "--build-arg",
    `${k}=${v}`,
  ]);
  return [
    ...buildahGlobalArgs(s),
    "bud",
    "--isolation",
    "chroot",
    "--pull=never",
    "--timestamp",
    String(spec.timestamp),
    ...buildArgs,
    "--tag",
    fullyQualified(spec.tag),
    spec.contextDir,
  ];
}

/** A Go template of `buildah inspect` applied to an image in the storage (`ref` as given);
 * undefined when the image is not there. */
export async function inspectImage(
  s: BuilderStorage,
  ref: string,
  format: string,
): Promise<string | undefined> {
  const r = await run(
    "buildah",
    [...buildahGlobalArgs(s), "inspect", "--type", "image", "--format", format, ref],
    { env: toolEnv(s) },
  );
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** The manifest digest of an image in the storage, or undefined when it is not there. */
export async function storedDigest(s: BuilderStorage, ref: string): Promise<string | undefined> {
  return (await inspectImage(s, fullyQualified(ref), "{{.FromImageDigest}}")) || undefined;
}

/** Copies the image of an OCI archive into the storage under `ref`. */
export async function importArchive(
  s: BuilderStorage,
  archive: string,
  ref: string,
): Promise<void> {
  await runOk("skopeo", ["copy", "--quiet", `oci-archive:${archive}`, storageReference(s, ref)], {
    env: toolEnv(s),
    nice: 10,
  });
}

/**
 * Writes `ref` from the storage as an OCI archive at `out`: an OCI layout with the layers
 * uncompressed (as the stand-ins are: the base layers keep their digests, so containerd
 * stores them once for base and derived image, and nothing is gzipped on 2 cores), its
 * index.json annotated for containerd, tarred like the stand-ins' archives.
 */
export async function exportArchive(
  s: BuilderStorage,
  ref: string,
  work: string,
  out: string,
  timestamp: number,
) {
  await rm(work, { recursive: true, force: true });
  await mkdir(dirname(work), { recursive: true });
  await runOk(
    "skopeo",
    [
      "copy",
      "--quiet",
      "--dest-oci-accept-uncompressed-layers",
      storageReference(s, ref),
      `oci:${work}:${tagOf(ref)}`,
    ],
    { env: toolEnv(s), nice: 10 },
  );
  const index = join(work, "index.json");
  await writeFile(index, containerdIndex(await readFile(index, "utf8"), ref));
  const part = `${out}.part`;
  // Owners and dates of the layout's files fixed too: equal images give byte-equal archives.
  await runOk(
    "tar",
    [
      "--create",
      `--file=${part}`,
      "--format=gnu",
      "--sort=name",
      "--numeric-owner",
      "--owner=0",
      "--group=0",
      `--mtime=@${timestamp}`,
      "-C",
      work,
      ".",
    ],
    {
      nice: 10,
    },
  );
  await rename(part, out);
  await rm(work, { recursive: true, force: true });
}
