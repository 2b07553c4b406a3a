/**
 * A Python client image on the shared Debian base: pinned packages from PyPI installed by
 * the host's pip into Debian's python3 path, and user `spark` (uid 185) with its home. The
 * pyspark-client and notebook images are both made this way; each gives its own list.
 */
import { join } from "node:path";
import { type Base, DEFAULT_PATH, writeUser } from "./base";
import { type BuiltImage, type Ctx, buildImage } from "./image";
import type { ImageSpec } from "./oci";
import { runOk } from "../support/runCommand";
import { step } from "./progress";

/** Debian bookworm's python3 is 3.11: the wheels must be for cp311. */
export const CLIENT_PYTHON = "3.11";
/** Where the packages go: on Debian python3's sys.path, outside what apt owns. */
export const CLIENT_SITE = `/usr/local/lib/python${CLIENT_PYTHON}/dist-packages`;
/** The image user's home, its working directory. */
export const CLIENT_HOME = "/home/spark";

/** `python3` arguments that install pinned requirements into `target`. */
export function pipInstallArgs(target: string, requirements: readonly string[]): string[] {
  return [
    "-m",
    "pip",
    "install",
    "--disable-pip-version-check",
    "--no-warn-script-location",
    "--ignore-installed",
    `--target=${target}`,
    ...requirements,
  ];
}

export interface PythonClientImage {
  /** Cache name, e.g. `pyspark-client-4.1.0`. */
  readonly name: string;
  readonly ref: string;
  readonly requirements: readonly string[];
  /** Bumped when the fill changes without the requirements changing. */
  readonly revision: number;
  /** Environment besides PATH, LANG, PYTHONUNBUFFERED and HOME. */
  readonly env?: readonly string[];
  readonly cmd: readonly string[];
  /** What the image stands in for (its `org.spark-platform.stand-in` label). */
  readonly standIn: string;
}

export async function pythonClientImage(
  ctx: Ctx,
  base: Base,
  image: PythonClientImage,
): Promise<BuiltImage> {
  const spec: ImageSpec = {
    ref: image.ref,
    user: "185",
    workingDir: CLIENT_HOME,
    env: [
      `PATH=${DEFAULT_PATH}`,
      "LANG=C.UTF-8",
      "PYTHONUNBUFFERED=1",
      `HOME=${CLIENT_HOME}`,
      ...(image.env ?? []),
    ],
    cmd: [...image.cmd],
    labels: { "org.spark-platform.stand-in": image.standIn },
  };
  return buildImage(ctx, {
    name: image.name,
    lower: [base.layer],
    recipe: { requirements: image.requirements, site: CLIENT_SITE, revision: image.revision },
    spec,
    fill: async (tree) => {
      const version = (
        await runOk("python3", ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
      ).trim();
      const target = join(tree, CLIENT_SITE);
      // The host's pip resolves and installs; a host python other than 3.11 would pick
      // wheels Debian's python3 cannot load, so it is told the target interpreter.
      const platformArgs =
        version === CLIENT_PYTHON
          ? []
          : ["--python-version", CLIENT_PYTHON, "--implementation", "cp", "--only-binary=:all:"];
      await step(ctx.log, `pip install ${image.name}`, () =>
        runOk("python3", [...pipInstallArgs(target, image.requirements), ...platformArgs], {
          nice: 10,
          echo: (line) => line.startsWith("Successfully") && ctx.log(`pip: ${line}`),
        }),
      );
      await runOk("mkdir", ["-p", join(tree, CLIENT_HOME)]);
      await runOk("chown", ["185:185", join(tree, CLIENT_HOME)]);
      await writeUser(base, tree, {
        name: "spark",
        uid: 185,
        gid: 185,
        gecos: "",
        home: CLIENT_HOME,
        shell: "/bin/bash",
      });
    },
  });
}
