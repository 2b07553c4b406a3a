// What "the platform is up" means on a live cluster, as one check the suite can poll.
import { getItems, type KubeObject } from "./client";

interface Condition {
  type: string;
  status: string;
}

const conditions = (o: KubeObject): Condition[] =>
  ((o.status?.["conditions"] as Condition[] | undefined) ?? []).filter(Boolean);
const hasCondition = (o: KubeObject, type: string) =>
  conditions(o).some((c) => c.type === type && c.status === "True");

/** Pods of a Job count when they succeeded; every other pod must be Running and Ready. */
export function podComplaint(pod: KubeObject): string | undefined {
  const phase = pod.status?.["phase"] as string | undefined;
  const ownedByJob = pod.metadata.ownerReferences?.some((o) => o.kind === "Job") ?? false;
  if (ownedByJob) return phase === "Succeeded" ? undefined : `pod ${pod.metadata.name} is ${phase}`;
  if (phase !== "Running") return `pod ${pod.metadata.name} is ${phase}`;
  return hasCondition(pod, "Ready") ? undefined : `pod ${pod.metadata.name} is not Ready`;
}

/** Every Deployment Available, every Job Complete, every pod Running and Ready (or done). */
export async function platformComplaints(namespaces: readonly string[]): Promise<string[]> {
  const complaints: string[] = [];
  for (const namespace of namespaces) {
    const deployments = await getItems("deployments.apps", namespace);
    const jobs = await getItems("jobs.batch", namespace);
    const pods = await getItems("pods", namespace);
    if (deployments.length === 0) complaints.push(`${namespace}: no Deployments`);
    for (const d of deployments) {
      if (!hasCondition(d, "Available"))
        complaints.push(`deployment ${d.metadata.name} not Available`);
    }
    for (const j of jobs) {
      if (!hasCondition(j, "Complete")) complaints.push(`job ${j.metadata.name} not Complete`);
    }
    for (const p of pods) {
      const complaint = podComplaint(p);
      if (complaint) complaints.push(`${namespace}: ${complaint}`);
    }
  }
  return complaints;
}

/** Container restarts per pod (pods of Jobs excluded: they do not restart, they retry). */
export async function restartCounts(namespaces: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const namespace of namespaces) {
    for (const pod of await getItems("pods", namespace)) {
      if (pod.metadata.ownerReferences?.some((o) => o.kind === "Job")) continue;
      const statuses =
        (pod.status?.["containerStatuses"] as { restartCount: number }[] | undefined) ?? [];
      counts.set(
        `${namespace}/${pod.metadata.name}`,
        statuses.reduce((sum, s) => sum + s.restartCount, 0),
      );
    }
  }
  return counts;
}

/** Pod UIDs by name for one label selector. */
export async function podUids(namespace: string, selector: string): Promise<Map<string, string>> {
  return new Map(
    (await getItems("pods", namespace, selector)).map((p) => [
      p.metadata.name,
      p.metadata.uid ?? "",
    ]),
  );
}
