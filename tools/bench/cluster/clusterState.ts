// What the benchmark asks of the local cluster: is it up, which platform namespaces exist,
// and waits for the platform to be Ready (the live suite's readiness) or gone.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { PROJECT_ROOT } from "../../cli/stackFiles";
import { getItems, kubectl, waitUntil } from "../../kubectl/client";
import { platformComplaints } from "../../kubectl/readiness";

const run = promisify(execFile);

/** Where the `local` stack puts its platform: what the benchmark creates and measures. */
export const NAMESPACES = ["spark"];
/** Namespaces of any platform (local and local-prod layouts): the node holds one. */
export const PLATFORM_NAMESPACES = ["spark", "spark-35", "spark-41"];
/** How often readiness is polled (the report states it). */
export const POLL_MS = 2000;
const READY_TIMEOUT_MS = 15 * 60_000;
const GONE_TIMEOUT_MS = 5 * 60_000;

/** Refuses (quoting `npm run cluster -- status`) unless every part of the cluster is up. */
export async function clusterIsUp(): Promise<void> {
  try {
    await run(process.execPath, ["tools/launcher/run.cjs", "cluster/main.ts", "status"], {
      cwd: PROJECT_ROOT,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(
      `the local cluster is not all up (npm run cluster -- status):\n${e.stdout ?? ""}${e.stderr ?? ""}`,
    );
  }
}

export async function existingNamespaces(names: readonly string[]): Promise<string[]> {
  const { stdout } = await kubectl(["get", "namespaces", "-o", "name"]);
  const present = new Set(stdout.split("\n").map((line) => line.replace(/^namespace\//, "")));
  return names.filter((name) => present.has(name));
}

/** Until every Deployment is Available, every Job Complete, every pod Running and Ready. */
export async function waitReady(what: string): Promise<void> {
  await waitUntil(
    what,
    READY_TIMEOUT_MS,
    async () => {
      const complaints = await platformComplaints(NAMESPACES);
      return complaints.length ? complaints.join("; ") : undefined;
    },
    POLL_MS,
  );
}

/** Until the release pods are gone and the namespaces with them. */
export async function waitGone(what: string): Promise<void> {
  await waitUntil(
    what,
    GONE_TIMEOUT_MS,
    async () => {
      const left: string[] = [];
      for (const namespace of NAMESPACES) {
        const pods = await getItems("pods", namespace);
        if (pods.length) left.push(`${pods.length} pods in ${namespace}`);
      }
      const namespaces = await existingNamespaces(NAMESPACES);
      if (namespaces.length) left.push(`namespaces ${namespaces.join(", ")}`);
      return left.length ? left.join("; ") : undefined;
    },
    POLL_MS,
  );
}
