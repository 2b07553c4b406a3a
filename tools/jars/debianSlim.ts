/**
 * `debian:bookworm-slim` in the builder's storage, for the Dockerfiles' jar stage (apt-get
 * installs wget there): Debian's own minimal system from `debootstrap --variant=minbase`,
 * slimmed as the official image is (no documentation, manual pages or translations, empty
 * package lists and caches), with the official image's apt sources, PATH and `bash` command.
 * Built once per recipe: the image carries the recipe's key as a label, and a warm run
 * that finds it does nothing.
 */
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_PATH } from "../../cluster/images/base";
import { LAYER_MTIME_EPOCH } from "../../cluster/images/oci";
import { type Log, step } from "../../cluster/images/progress";
import { cacheKey } from "../../cluster/images/recipe";
import { run, runOk } from "../../cluster/support/runCommand";
import { type BuilderStorage, buildahGlobalArgs, inspectImage, toolEnv } from "./buildah";

export const DEBIAN_SLIM_REF = "debian:bookworm-slim";

/** The label holding the recipe key of the image in the storage. */
export const RECIPE_LABEL = "org.spark-platform.recipe";

/** debian.sources of the official bookworm images (main, updates, security). */
const DEBIAN_SOURCES = `Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`;

/** dpkg's path filters of the official slim images: later installs stay slim too. */
const DPKG_SLIM = `path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
`;

export const DEBIAN_SLIM_RECIPE = {
  suite: "bookworm",
  variant: "minbase",
  mirror: "http://deb.debian.org/debian",
  files: {
    "etc/apt/sources.list.d/debian.sources": DEBIAN_SOURCES,
    "etc/dpkg/dpkg.cfg.d/docker": DPKG_SLIM,
    "etc/hostname": "localhost\n",
    "etc/hosts": "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n",
    "etc/resolv.conf": "",
  },
  /** Emptied: debootstrap's sources.list (replaced by debian.sources), caches, lists, docs. */
  emptied: [
    "var/cache/apt",
    "var/lib/apt/lists",
    "var/log",
    "usr/share/man",
    "usr/share/info",
    "usr/share/locale",
    "usr/share/lintian",
    "tmp",
  ],
  removed: ["etc/apt/sources.list"],
  env: [`PATH=${DEFAULT_PATH}`],
  cmd: ["bash"],
  revision: 1,
} as const;

export function debianSlimKey(): string {
  return cacheKey("debian-bookworm-slim", DEBIAN_SLIM_RECIPE);
}

/** /usr/share/doc without the copyright files (what dpkg's filters keep). */
async function pruneDocs(rootfs: string) {
  await runOk("find", [
    join(rootfs, "usr/share/doc"),
    "-mindepth",
    "1",
    "-not",
    "-name",
    "copyright",
    "-not",
    "-type",
    "d",
    "-delete",
  ]);
  await runOk("find", [
    join(rootfs, "usr/share/doc"),
    "-mindepth",
    "1",
    "-type",
    "d",
    "-empty",
    "-delete",
  ]);
}

async function slimRootfs(rootfs: string) {
  for (const path of DEBIAN_SLIM_RECIPE.emptied) {
    await rm(join(rootfs, path), { recursive: true, force: true });
    await mkdir(join(rootfs, path), { recursive: true });
  }
  await runOk("chmod", ["1777", join(rootfs, "tmp")]);
  await mkdir(join(rootfs, "var/lib/apt/lists/partial"), { recursive: true });
  await mkdir(join(rootfs, "var/cache/apt/archives/partial"), { recursive: true });
  for (const path of DEBIAN_SLIM_RECIPE.removed) await rm(join(rootfs, path), { force: true });
  for (const [path, text] of Object.entries(DEBIAN_SLIM_RECIPE.files)) {
    await mkdir(join(rootfs, path, ".."), { recursive: true });
    await rm(join(rootfs, path), { force: true });
    await writeFile(join(rootfs, path), text, { mode: 0o644 });
  }
  await pruneDocs(rootfs);
}

function storedRecipe(s: BuilderStorage): Promise<string | undefined> {
  return inspectImage(
    s,
    `docker.io/library/${DEBIAN_SLIM_REF}`,
    `{{index .OCIv1.Config.Labels "${RECIPE_LABEL}"}}`,
  );
}

/**
 * Makes `docker.io/library/debian:bookworm-slim` in the storage unless it is there with
 * this recipe: debootstrap (cached rootfs under `dir`), slimmed, tarred reproducibly, and
 * committed by buildah as one layer.
 */
export async function ensureDebianSlim(s: BuilderStorage, dir: string, log: Log): Promise<string> {
  const key = debianSlimKey();
  if ((await storedRecipe(s)) === key) return key;
  const base = join(dir, key);
  const rootfs = join(base, "rootfs");
  if (!existsSync(join(base, ".rootfs-complete"))) {
    await rm(base, { recursive: true, force: true });
    await mkdir(base, { recursive: true });
    const r = DEBIAN_SLIM_RECIPE;
    await step(log, `debootstrap --variant=${r.variant} ${r.suite} (for ${DEBIAN_SLIM_REF})`, () =>
      runOk("debootstrap", [`--variant=${r.variant}`, r.suite, rootfs, r.mirror], { nice: 10 }),
    );
    await slimRootfs(rootfs);
    await writeFile(join(base, ".rootfs-complete"), `${new Date().toISOString()}\n`);
  }
  const tar = join(base, "rootfs.tar");
  await step(log, `${DEBIAN_SLIM_REF} into the builder's storage`, async () => {
    await runOk("tar", [
      "--create",
      `--file=${tar}`,
      "--numeric-owner",
      "--sort=name",
      `--mtime=@${LAYER_MTIME_EPOCH}`,
      "--clamp-mtime",
      "--exclude=./dev/*",
      "--exclude=./proc/*",
      "--exclude=./sys/*",
      "-C",
      rootfs,
      ".",
    ]);
    const buildah = (args: string[]) =>
      runOk("buildah", [...buildahGlobalArgs(s), ...args], { env: toolEnv(s) });
    const container = (await buildah(["from", "--pull=never", "scratch"])).trim();
    try {
      // A local tar is unpacked with its owners and modes (setuid bits, root:shadow files).
      await buildah(["add", container, tar, "/"]);
      const config = ["config", ...DEBIAN_SLIM_RECIPE.env.flatMap((e) => ["--env", e])];
      config.push(
        "--cmd",
        JSON.stringify(DEBIAN_SLIM_RECIPE.cmd),
        "--label",
        `${RECIPE_LABEL}=${key}`,
        container,
      );
      await buildah(config);
      await buildah([
        "commit",
        "--timestamp",
        String(LAYER_MTIME_EPOCH),
        container,
        `docker.io/library/${DEBIAN_SLIM_REF}`,
      ]);
    } finally {
      await run("buildah", [...buildahGlobalArgs(s), "rm", container], { env: toolEnv(s) });
      await rm(tar, { force: true });
    }
  });
  return key;
}
