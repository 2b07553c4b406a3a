// npm run verify -- --manifests <dir>                               (rendered: <dir>/manifests.yaml)
// npm run verify -- --context <kube-context> --namespaces <ns,...>  (live cluster, via kubectl)
// Options: --layout shared|perRelease (default: inferred from where the releases are).
// Prints one row per check and subject; exits 1 naming every failing object, 2 on usage errors.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import type { KubeManifest } from "../lib/kube/objects";
import type { NamespaceLayout } from "../lib/verify/namespaces";
import { clusterObjects } from "../lib/verify/objects";
import { failures } from "../lib/verify/result";
import { verifyObjects } from "../lib/verify/run";
import { formatTable, summary } from "../lib/verify/table";
import { collectLiveObjects } from "../tools/verify/live";

const USAGE =
  "usage: npm run verify -- --manifests <dir> | --context <kube-context> --namespaces <ns,...> [--layout shared|perRelease]";

function readManifests(dir: string): KubeManifest[] {
  const file = join(dir, "manifests.yaml");
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  return docs
    .map((doc) => {
      if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]!.message}`);
      return doc.toJS() as KubeManifest | null;
    })
    .filter((m): m is KubeManifest => Boolean(m && m.kind));
}

const runKubectl = async (args: readonly string[]): Promise<string> => {
  const { stdout } = await promisify(execFile)("kubectl", [...args], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      manifests: { type: "string" },
      context: { type: "string" },
      namespaces: { type: "string" },
      layout: { type: "string" },
    },
  });
  const layout = values.layout;
  if (layout !== undefined && layout !== "shared" && layout !== "perRelease") {
    console.error(`--layout: expected shared or perRelease, got ${layout}\n${USAGE}`);
    return 2;
  }
  let manifests: KubeManifest[];
  if (values.manifests && !values.context) {
    manifests = readManifests(values.manifests);
  } else if (values.context && values.namespaces && !values.manifests) {
    const namespaces = values.namespaces
      .split(",")
      .map((n) => n.trim())
      .filter(Boolean);
    manifests = await collectLiveObjects(runKubectl, values.context, namespaces);
  } else {
    console.error(USAGE);
    return 2;
  }
  const results = verifyObjects(clusterObjects(manifests), {
    ...(layout ? { layout: layout as NamespaceLayout } : {}),
  });
  process.stdout.write(formatTable(results));
  console.log(summary(results));
  return failures(results).length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
