// The storage the local stacks ask for (pure): StorageClass spark-platform-local (no
// provisioner, WaitForFirstConsumer) and a pool of `local` PersistentVolumes on every node,
// directories under the node's state, and what to do with the volumes that exist.
import type { ClusterNode } from "../node/clusterNode";

type Obj = Record<string, unknown>;

export const STORAGE_CLASS = "spark-platform-local";
/** On the harness's volumes: the node they are on. */
export const VOLUME_LABEL = "spark-platform.io/cluster-volume";
/** Per node: both local stacks' master claims (`local` and `local-prod` up at once, both
 * pinned to the same node) and two spare. */
export const VOLUMES_PER_NODE = 4;
/** Declared size: a `local` volume is a directory on the node's disk, not a quota. */
export const VOLUME_CAPACITY = "1Gi";

export function storageClass(): Obj {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: STORAGE_CLASS },
    provisioner: "kubernetes.io/no-provisioner",
    // Bound when a pod is scheduled, to a volume on the pod's node.
    volumeBindingMode: "WaitForFirstConsumer",
  };
}

export interface VolumeSlot {
  /** PersistentVolume name: `spark-node-vol-1`, `spark-node-2-vol-3`. */
  readonly name: string;
  readonly node: ClusterNode;
  /** Directory on the node (the host's disk), under the node's volumes directory. */
  readonly dir: string;
}

/** Every volume the nodes should have, given each node's volumes directory. */
export function volumeSlots(
  nodes: readonly ClusterNode[],
  volumesDir: (node: ClusterNode) => string,
): VolumeSlot[] {
  return nodes.flatMap((node) =>
    Array.from({ length: VOLUMES_PER_NODE }, (_, k) => ({
      name: `${node.name}-vol-${k + 1}`,
      node,
      dir: `${volumesDir(node)}/vol-${k + 1}`,
    })),
  );
}

/** A `local` volume (the kubelet applies the pod's fsGroup to it), reachable only from its
 * node; Retain: its data outlives the claim until the reconcile clears it. */
export function persistentVolume(slot: VolumeSlot): Obj {
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: slot.name, labels: { [VOLUME_LABEL]: slot.node.name } },
    spec: {
      capacity: { storage: VOLUME_CAPACITY },
      accessModes: ["ReadWriteOnce"],
      volumeMode: "Filesystem",
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: STORAGE_CLASS,
      local: { path: slot.dir },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: "kubernetes.io/hostname", operator: "In", values: [slot.node.name] },
              ],
            },
          ],
        },
      },
    },
  };
}

/** What the API server says of one of the harness's volumes. */
export interface ExistingVolume {
  readonly name: string;
  /** Available, Bound, Released, Failed, Pending. */
  readonly phase: string;
  /** `namespace/name` of the claim it is (or was) bound to. */
  readonly claim?: string;
}

export interface VolumePlan {
  /** Wanted and missing: create. */
  readonly create: VolumeSlot[];
  /** Released (or Failed) after their claim was deleted: empty the directory, then drop the
   * claim reference, so the volume is Available again with nothing of the old claim's. */
  readonly recycle: VolumeSlot[];
  /** Not wanted (a node no longer in the cluster) and bound to nothing: delete. */
  readonly remove: string[];
  /** Not wanted but still bound: left alone, named in the report. */
  readonly strandedBound: string[];
}

export function volumePlan(
  wanted: readonly VolumeSlot[],
  existing: readonly ExistingVolume[],
): VolumePlan {
  const byName = new Map(existing.map((v) => [v.name, v]));
  const wantedNames = new Set(wanted.map((s) => s.name));
  const unwanted = existing.filter((v) => !wantedNames.has(v.name));
  return {
    create: wanted.filter((s) => !byName.has(s.name)),
    recycle: wanted.filter((s) => ["Released", "Failed"].includes(byName.get(s.name)?.phase ?? "")),
    remove: unwanted.filter((v) => v.phase !== "Bound").map((v) => v.name),
    strandedBound: unwanted.filter((v) => v.phase === "Bound").map((v) => v.name),
  };
}

/** Reads `kubectl get pv -o json` items. */
export function existingVolumes(items: readonly Obj[]): ExistingVolume[] {
  return items.map((item) => {
    const meta = item["metadata"] as { name: string };
    const spec = (item["spec"] ?? {}) as { claimRef?: { namespace?: string; name?: string } };
    const status = (item["status"] ?? {}) as { phase?: string };
    const ref = spec.claimRef;
    return {
      name: meta.name,
      phase: status.phase ?? "Pending",
      ...(ref?.name ? { claim: `${ref.namespace ?? ""}/${ref.name}` } : {}),
    };
  });
}

/** What a reconcile did, by volume name. */
export interface VolumeReport {
  readonly total: number;
  readonly created: string[];
  readonly recycled: string[];
  readonly removed: string[];
  readonly strandedBound: string[];
}

export function volumeSummary(r: VolumeReport): string {
  const parts = [`${r.total} volumes of class ${STORAGE_CLASS}`];
  if (r.created.length) parts.push(`created ${r.created.length}`);
  if (r.recycled.length) parts.push(`emptied and made Available again ${r.recycled.join(", ")}`);
  if (r.removed.length) parts.push(`deleted ${r.removed.join(", ")} (node gone)`);
  if (r.strandedBound.length)
    parts.push(`still bound on a node that is gone: ${r.strandedBound.join(", ")}`);
  return `volumes: ${parts.join("; ")}`;
}
