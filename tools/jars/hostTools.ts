/**
 * The host programs the derived-image build and check need, with the Debian package of
 * each: installed with apt-get when missing (as root), or a failure naming the package.
 */
import { run, succeeds } from "../../cluster/support/runCommand";
import type { Log } from "../../cluster/images/progress";

export interface HostTool {
  readonly command: string;
  /** The Debian package that provides it. */
  readonly debianPackage: string;
  /** Why the command needs it (shown when it cannot be installed). */
  readonly purpose: string;
}

export const BUILD_TOOLS: readonly HostTool[] = [
  {
    command: "buildah",
    debianPackage: "buildah",
    purpose: "runs the Dockerfiles without a daemon",
  },
  {
    command: "skopeo",
    debianPackage: "skopeo",
    purpose: "moves images between OCI archives and buildah's storage",
  },
  {
    command: "debootstrap",
    debianPackage: "debootstrap",
    purpose: "makes debian:bookworm-slim for the jar stage",
  },
  { command: "tar", debianPackage: "tar", purpose: "packs the OCI archives" },
];

export const CHECK_TOOLS: readonly HostTool[] = [
  { command: "skopeo", debianPackage: "skopeo", purpose: "reads the archives' image configs" },
  {
    command: "containerd",
    debianPackage: "containerd",
    purpose: "a temporary containerd imports the archives",
  },
  { command: "ctr", debianPackage: "containerd", purpose: "imports and runs the images" },
  { command: "runc", debianPackage: "runc", purpose: "the runtime ctr runs the checks with" },
];

/** Packages to install for the tools whose command is missing (each package once). */
export function packagesFor(tools: readonly HostTool[], missing: ReadonlySet<string>): string[] {
  return [...new Set(tools.filter((t) => missing.has(t.command)).map((t) => t.debianPackage))];
}

/** The message when tools are still missing: each command, its package, and why. */
export function missingToolsMessage(
  tools: readonly HostTool[],
  missing: ReadonlySet<string>,
): string {
  const lines = tools
    .filter((t) => missing.has(t.command))
    .map((t) => `  ${t.command} (Debian package ${t.debianPackage}): ${t.purpose}`);
  const packages = packagesFor(tools, missing).join(" ");
  return `missing host programs:\n${lines.join("\n")}\ninstall them as root: apt-get install -y --no-install-recommends ${packages}`;
}

async function missingCommands(tools: readonly HostTool[]): Promise<Set<string>> {
  const missing = new Set<string>();
  for (const tool of tools) {
    if (!(await succeeds("sh", ["-c", `command -v ${tool.command}`]))) missing.add(tool.command);
  }
  return missing;
}

/**
 * Makes sure every tool is on PATH: installs the missing ones' packages with apt-get when
 * running as root (updating the package lists once if the install fails), else throws the
 * message above.
 */
export async function ensureHostTools(tools: readonly HostTool[], log: Log): Promise<void> {
  let missing = await missingCommands(tools);
  if (missing.size === 0) return;
  const packages = packagesFor(tools, missing);
  const canInstall =
    process.getuid?.() === 0 && (await succeeds("sh", ["-c", "command -v apt-get"]));
  if (canInstall) {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const install = ["install", "-y", "--no-install-recommends", ...packages];
    log(`apt-get install ${packages.join(" ")}`);
    if ((await run("apt-get", install, { env })).code !== 0) {
      log("apt-get update (the install failed with the current package lists)");
      await run("apt-get", ["update"], { env });
      await run("apt-get", install, { env });
    }
    missing = await missingCommands(tools);
  }
  if (missing.size > 0) throw new Error(missingToolsMessage(tools, missing));
}
