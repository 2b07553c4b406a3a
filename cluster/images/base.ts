/**
 * The shared lower layer of every Java/Python stand-in image: Debian bookworm from
 * `debootstrap --variant=minbase` with Java 17, Python 3 and what the upstream entrypoints
 * call (bash, tini, gosu, libnss-wrapper, procps). Built once per recipe and cached: the
 * rootfs (for copying /etc files into image layers) and its layer tar.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Layer, tarLayer } from "./oci";
import { withLock } from "./lock";
import { cacheKey } from "./recipe";
import { runOk } from "../support/runCommand";
import { type Log, step } from "./progress";

/** What debootstrap installs (the rootfs cache key). */
export const BASE_RECIPE = {
  suite: "bookworm",
  variant: "minbase",
  mirror: "http://deb.debian.org/debian",
  packages: [
    "bash",
    "ca-certificates",
    "gosu",
    "libnss-wrapper",
    "net-tools",
    "openjdk-17-jre-headless",
    "procps",
    "python3",
    "python3-pip",
    "tini",
  ],
} as const;

/**
 * Applied to the rootfs before it is tarred (idempotent; part of the layer's key): package
 * caches, lists, logs and manual pages removed; the build host's name and resolver
 * replaced by neutral files (the runtime mounts its own /etc/hosts, hostname, resolv.conf).
 */
export const BASE_POST = {
  prune: ["var/cache/apt", "var/lib/apt/lists", "var/log", "usr/share/man", "tmp"],
  files: {
    "etc/hostname": "localhost\n",
    "etc/hosts": "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n",
    "etc/resolv.conf": "",
  },
  revision: 1,
} as const;

export const JAVA_HOME = "/usr/lib/jvm/java-17-openjdk-amd64";
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export interface Base {
  key: string;
  rootfs: string;
  layer: Layer;
}

export async function buildBase(root: string, log: Log): Promise<Base> {
  return withLock(root, "base", log, () => buildBaseLocked(root, log));
}

async function buildBaseLocked(root: string, log: Log): Promise<Base> {
  const dir = join(root, "base", cacheKey("debian-bookworm-minbase", BASE_RECIPE));
  const rootfs = join(dir, "rootfs");
  const key = cacheKey("debian-bookworm-layer", { rootfs: BASE_RECIPE, post: BASE_POST });
  const layerFile = join(dir, `${key}.tar`);
  if (!existsSync(join(dir, ".rootfs-complete"))) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await ensureDebootstrap(log);
    await step(
      log,
      `debootstrap ${BASE_RECIPE.suite} (${BASE_RECIPE.packages.length} extra packages)`,
      () =>
        runOk(
          "debootstrap",
          [
            `--variant=${BASE_RECIPE.variant}`,
            `--include=${BASE_RECIPE.packages.join(",")}`,
            BASE_RECIPE.suite,
            rootfs,
            BASE_RECIPE.mirror,
          ],
          {
            nice: 10,
            // Phase lines only; the per-package lines run into the hundreds.
            echo: (line) => {
              if (
                /^I: (Retrieving Release|Resolving|Checking|Installing|Base system installed)/.test(
                  line,
                )
              ) {
                log(`debootstrap: ${line.slice(3)}`);
              }
            },
          },
        ),
    );
    await writeFile(join(dir, ".rootfs-complete"), `${new Date().toISOString()}\n`);
  }
  if (!existsSync(layerFile)) {
    for (const path of BASE_POST.prune) {
      await rm(join(rootfs, path), { recursive: true, force: true });
      await mkdir(join(rootfs, path), { recursive: true });
    }
    await runOk("chmod", ["1777", join(rootfs, "tmp")]);
    for (const [path, text] of Object.entries(BASE_POST.files)) {
      await rm(join(rootfs, path), { force: true });
      await writeFile(join(rootfs, path), text, { mode: 0o644 });
    }
  }
  const layer = await step(log, "base layer tar", () =>
    tarLayer(rootfs, layerFile, { exclude: ["./dev/*", "./proc/*", "./sys/*"] }),
  );
  return { key, rootfs, layer };
}

async function ensureDebootstrap(log: Log) {
  const found = await runOk("sh", ["-c", "command -v debootstrap || true"]);
  if (found.trim()) return;
  await step(log, "apt-get install debootstrap", () =>
    runOk("apt-get", ["install", "-y", "--no-install-recommends", "debootstrap"], {
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    }),
  );
}

export interface UserSpec {
  name: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  shell: string;
}

/**
 * Writes /etc/passwd, group, shadow and gshadow into an image layer's tree: the base's
 * files plus one user and its primary group (what `useradd`/`adduser` did upstream).
 */
export async function writeUser(base: Base, tree: string, user: UserSpec) {
  const etc = join(tree, "etc");
  await mkdir(etc, { recursive: true });
  const add = async (file: string, line: string, mode: number) => {
    const current = await readFile(join(base.rootfs, "etc", file), "utf8");
    const kept = current.split("\n").filter((l) => l && !l.startsWith(`${user.name}:`));
    await writeFile(join(etc, file), `${[...kept, line].join("\n")}\n`, { mode });
  };
  await add(
    "passwd",
    `${user.name}:x:${user.uid}:${user.gid}:${user.gecos}:${user.home}:${user.shell}`,
    0o644,
  );
  await add("group", `${user.name}:x:${user.gid}:`, 0o644);
  await add("shadow", `${user.name}:!:20000:0:99999:7:::`, 0o640);
  await add("gshadow", `${user.name}:!::`, 0o640);
  // shadow files belong to group shadow, as in the base.
  await runOk("chown", [
    "--reference",
    join(base.rootfs, "etc", "shadow"),
    join(etc, "shadow"),
    join(etc, "gshadow"),
  ]);
}
