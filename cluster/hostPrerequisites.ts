// Debian packages the node needs, installed when missing (idempotent), and kernel checks.
import * as fs from "node:fs";
import { log } from "./support/clusterLog";
import { run, runOk } from "./support/runCommand";
import { NODE_PACKAGES } from "./clusterVersions";

/** Packages of `wanted` that `dpkg-query -W -f '${Package} ${Status}\n'` does not list as installed. */
export function missingPackages(dpkgOutput: string, wanted: readonly string[]): string[] {
  const installed = new Set<string>();
  for (const line of dpkgOutput.split("\n")) {
    const [name, ...status] = line.trim().split(" ");
    if (name && status.join(" ") === "install ok installed")
      installed.add(name.split(":")[0] as string);
  }
  return wanted.filter((p) => !installed.has(p));
}

export async function ensurePackages(): Promise<void> {
  const q = await run("dpkg-query", ["-W", "-f", "${Package} ${Status}\n", ...NODE_PACKAGES]);
  const missing = missingPackages(q.stdout, NODE_PACKAGES);
  if (missing.length === 0) return;
  log(`installing Debian packages: ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () =>
    run("apt-get", ["install", "-y", "--no-install-recommends", ...missing], { env });
  let r = await install();
  if (r.code !== 0) {
    await runOk("apt-get", ["update"], { env });
    r = await install();
  }
  if (r.code !== 0)
    throw new Error(`apt-get install ${missing.join(" ")} failed:\n${r.stderr.slice(-2000)}`);
}

/** Kernel features the node relies on, from /proc/config.gz text (pure). */
export function kernelProblems(config: string): string[] {
  const need = [
    "CONFIG_BRIDGE",
    "CONFIG_VETH",
    "CONFIG_BRIDGE_NETFILTER",
    "CONFIG_IP_SET",
    "CONFIG_NETFILTER_XT_SET",
    "CONFIG_NETFILTER_XT_MATCH_PHYSDEV",
    "CONFIG_OVERLAY_FS",
  ];
  return need.filter((k) => !new RegExp(`^${k}=[ym]$`, "m").test(config));
}

export async function checkKernel(): Promise<void> {
  if (!fs.existsSync("/proc/config.gz")) return;
  const text = await runOk("zcat", ["/proc/config.gz"]);
  const problems = kernelProblems(text);
  if (problems.length)
    log(
      `warning: kernel lacks ${problems.join(", ")} (built in or as modules); the node may not work`,
    );
}
