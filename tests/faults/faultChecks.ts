// Live checks of the fault suite: the faults themselves (a pod deleted, a host service
// restarted), readiness after them, the standalone master's own view, and what must
// survive every fault: the metastore rows and the event logs of jobs that had finished.
import { RELEASE_LABEL } from "../../lib/kube/objects";
import { PORTS, releaseNames } from "../../lib/naming/names";
import { platformComplaints } from "../../tools/kubectl/readiness";
import type { ReleaseName } from "../cluster/clients";
import { historyApplications } from "../cluster/history";
import {
  eventDataWritten,
  HTTP_GET_PY,
  listKeys,
  METASTORE_DATABASES,
  metastoreRows,
  s3aLocation,
  TABLE,
} from "../cluster/jobs";
import { getItems, kubectl, shell, waitUntil, type KubeObject } from "../cluster/support";
import { parseMasterState, type MasterState } from "./masterState";

const isReady = (pod: KubeObject) =>
  ((pod.status?.["conditions"] ?? []) as { type: string; status: string }[]).some(
    (c) => c.type === "Ready" && c.status === "True",
  );

/** Pods of one component of a release (master, worker, connect, executor, metastore, history). */
export async function componentPods(
  namespace: string,
  release: ReleaseName,
  component: string,
): Promise<KubeObject[]> {
  return getItems(
    "pods",
    namespace,
    `${RELEASE_LABEL}=${release},app.kubernetes.io/component=${component}`,
  );
}

/** The Running and Ready pods of a component. */
export async function readyPods(
  namespace: string,
  release: ReleaseName,
  component: string,
): Promise<KubeObject[]> {
  return (await componentPods(namespace, release, component)).filter(
    (p) => p.status?.["phase"] === "Running" && isReady(p),
  );
}

/** The one Running and Ready pod of a component (throws when there is none). */
export async function readyPod(
  namespace: string,
  release: ReleaseName,
  component: string,
): Promise<KubeObject> {
  const [pod] = await readyPods(namespace, release, component);
  if (!pod) throw new Error(`no Ready ${release} ${component} pod`);
  return pod;
}

/** The fault: `kubectl delete pod` (SIGTERM, SIGKILL after the grace period). */
export async function killPod(namespace: string, name: string): Promise<void> {
  await kubectl(["delete", "pod", name, "-n", namespace, "--wait=false"]);
}

/** The fault on the host: `npm run cluster -- restart-service <service>`; its own line. */
export async function restartService(service: "postgresql" | "minio"): Promise<string> {
  const r = await shell(`npm run --silent cluster -- restart-service ${service}`);
  if (r.code !== 0) throw new Error(`restart-service ${service}: ${r.stderr || r.stdout}`);
  return r.stdout.trim();
}

/**
 * Waits until every pod of the namespaces is Ready again (tools/kubectl/readiness) and the
 * killed pods are gone; returns when that was first seen.
 */
export async function waitAllReady(
  namespaces: readonly string[],
  gone: readonly string[],
  timeoutMs = 420_000,
): Promise<number> {
  await waitUntil(
    "every pod Ready again",
    timeoutMs,
    async () => {
      const complaints = await platformComplaints(namespaces);
      for (const namespace of namespaces) {
        const names = (await getItems("pods", namespace)).map((p) => p.metadata.name);
        complaints.push(...gone.filter((n) => names.includes(n)).map((n) => `${n} still there`));
      }
      return complaints.length ? complaints.join("; ") : undefined;
    },
    1000,
  );
  return Date.now();
}

/** The standalone master's `/json` page, read inside its pod (no Service, no policy). */
export async function masterState(namespace: string, pod: string): Promise<MasterState> {
  const url = `http://localhost:${PORTS.masterUi}/json/`;
  const r = await kubectl(["exec", "-n", namespace, pod, "--", "python3", "-c", HTTP_GET_PY, url]);
  return parseMasterState(r.stdout);
}

export async function podLog(namespace: string, pod: string): Promise<string> {
  return (await kubectl(["logs", "-n", namespace, pod], true)).stdout;
}

/** What must outlive every fault: tables jobs wrote, and finished applications' event logs. */
export interface Retained {
  readonly tables: { readonly release: ReleaseName; readonly database: string }[];
  readonly applications: { readonly release: ReleaseName; readonly appId: string }[];
}

/**
 * Each retained table is still a TBLS row in its release's metastore database, and each
 * finished application's event data is still in the bucket under its release's prefix and
 * listed by its History Server (polled: a restarted History Server lists again after its
 * first scan). Empty when nothing was lost.
 */
export async function lostComplaints(
  retained: Retained,
  namespaceOf: Readonly<Record<ReleaseName, string>>,
  eventLogDirs: Readonly<Record<ReleaseName, string>>,
  timeoutMs = 180_000,
): Promise<string[]> {
  const out: string[] = [];
  for (const release of ["spark-35", "spark-41"] as const) {
    const databases = retained.tables.filter((t) => t.release === release).map((t) => t.database);
    if (databases.length === 0) continue;
    const rows = await metastoreRows(METASTORE_DATABASES[release], databases);
    for (const db of databases)
      if (!rows.some((row) => row.db === db && row.table === TABLE))
        out.push(`${METASTORE_DATABASES[release]} lost ${db}.${TABLE}`);
  }
  for (const release of ["spark-35", "spark-41"] as const) {
    const apps = retained.applications.filter((a) => a.release === release).map((a) => a.appId);
    if (apps.length === 0) continue;
    const where = s3aLocation(eventLogDirs[release]);
    const keys = await listKeys(where.bucket);
    for (const id of apps)
      if (!eventDataWritten(id, keys, where.prefix))
        out.push(`the event log of ${id} is gone from ${eventLogDirs[release]}`);
    let unlisted: string[] = apps;
    await waitUntil(
      `${releaseNames(release).history} lists the finished applications`,
      timeoutMs,
      async () => {
        const listed = await historyApplications(namespaceOf[release], release).catch(() => []);
        unlisted = apps.filter((id) => !listed.some((a) => a.id === id));
        return unlisted.length ? `not listed: ${unlisted.join(", ")}` : undefined;
      },
    ).catch(() => out.push(`${release}-history does not list ${unlisted.join(", ")}`));
  }
  return out;
}
