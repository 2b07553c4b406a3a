// Images into a node's containerd: `ctr images import` of OCI tarballs, skipping a
// reference that is already there with the same digest.
import { fullyQualified } from "../images/oci";
import { log } from "../support/clusterLog";
import { run, runOk } from "../support/runCommand";
import { ctr, K8S_NS } from "./containerd";
import type { NodeLayout } from "./nodeLayout";

/** Digest of an imported image, or undefined. */
export async function imageDigest(nl: NodeLayout, ref: string): Promise<string | undefined> {
  const r = await ctr(nl, ["images", "ls"]);
  for (const line of r.stdout.split("\n").slice(1)) {
    const [name, , digest] = line.split(/\s+/);
    if (name === ref) return digest;
  }
  return undefined;
}

/** Digest of the manifest an OCI layout tarball's index points at (read with tar). */
export async function tarballDigest(tar: string): Promise<string | undefined> {
  let index = await run("tar", ["-xOf", tar, "index.json"]);
  if (index.code !== 0) index = await run("tar", ["-xOf", tar, "./index.json"]);
  if (index.code !== 0) return undefined;
  const m = (JSON.parse(index.stdout) as { manifests?: { digest: string }[] }).manifests?.[0];
  return m?.digest;
}

/** Imports the tarball unless `ref` is already there with the same digest. */
export async function importImage(
  nl: NodeLayout,
  ref: string,
  tar: string,
): Promise<"imported" | "present"> {
  const want = await tarballDigest(tar);
  const have = await imageDigest(nl, ref);
  if (want && have === want) return "present";
  await runOk("ctr", ["--address", nl.containerdSocket, "-n", K8S_NS, "images", "import", tar]);
  const got = await imageDigest(nl, ref);
  if (!got) throw new Error(`import of ${tar} did not yield image ${ref}`);
  return "imported";
}

/** Imports each tarball unless the same digest is already there, one line per image. */
export async function importAll(
  nl: NodeLayout,
  images: readonly { ref: string; tar: string }[],
): Promise<void> {
  for (const img of images) {
    const start = Date.now();
    const r = await importImage(nl, fullyQualified(img.ref), img.tar);
    log(`image ${img.ref}: ${r} (${((Date.now() - start) / 1000).toFixed(1)}s)`);
  }
}
