import { expect } from "chai";
import { clusterNode, clusterNodes } from "../../../../cluster/node/clusterNode";
import {
  existingVolumes,
  persistentVolume,
  storageClass,
  volumePlan,
  volumeSlots,
  volumeSummary,
  VOLUMES_PER_NODE,
} from "../../../../cluster/storage/localVolumes";

const dirOf = (n: { name: string }) => `/state/${n.name}/volumes`;

describe("cluster/storage: the local stacks' StorageClass and volumes", () => {
  it("StorageClass spark-platform-local: no provisioner, bound when the pod is scheduled", () => {
    expect(storageClass()).to.deep.include({
      kind: "StorageClass",
      metadata: { name: "spark-platform-local" },
      provisioner: "kubernetes.io/no-provisioner",
      volumeBindingMode: "WaitForFirstConsumer",
    });
  });

  it("every node gets room for both local stacks' claims and two spare, in its own directory", () => {
    const slots = volumeSlots(clusterNodes(2), dirOf);
    expect(VOLUMES_PER_NODE).to.be.at.least(4);
    expect(slots).to.have.length(2 * VOLUMES_PER_NODE);
    expect(slots.filter((s) => s.node.index === 2).map((s) => s.name)).to.deep.equal(
      Array.from({ length: VOLUMES_PER_NODE }, (_, k) => `spark-node-2-vol-${k + 1}`),
    );
    expect(new Set(slots.map((s) => s.dir)).size).to.equal(slots.length);
    for (const s of slots) expect(s.dir.startsWith(dirOf(s.node) + "/")).to.equal(true);
  });

  it("a volume is `local` (fsGroup applies), Filesystem, ReadWriteOnce, at least 128Mi, on its node only", () => {
    const slot = volumeSlots([clusterNode(2)], dirOf)[0]!;
    const pv = persistentVolume(slot) as { spec: Record<string, unknown> };
    expect(pv.spec).to.deep.include({
      accessModes: ["ReadWriteOnce"],
      volumeMode: "Filesystem",
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "spark-platform-local",
      local: { path: "/state/spark-node-2/volumes/vol-1" },
    });
    expect(pv.spec).to.not.have.property("claimRef");
    expect(pv.spec).to.not.have.property("hostPath");
    expect((pv.spec.capacity as { storage: string }).storage).to.equal("1Gi");
    expect(JSON.stringify(pv.spec.nodeAffinity)).to.equal(
      JSON.stringify({
        required: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: "kubernetes.io/hostname", operator: "In", values: ["spark-node-2"] },
              ],
            },
          ],
        },
      }),
    );
  });

  it("plans: create the missing, recycle the Released and Failed, delete unbound ones of nodes gone", () => {
    const wanted = volumeSlots([clusterNode(1)], dirOf);
    const existing = existingVolumes([
      { metadata: { name: "spark-node-vol-1" }, status: { phase: "Bound" } },
      {
        metadata: { name: "spark-node-vol-2" },
        spec: { claimRef: { namespace: "spark", name: "spark-35-master-recovery" } },
        status: { phase: "Released" },
      },
      { metadata: { name: "spark-node-vol-3" }, status: { phase: "Failed" } },
      { metadata: { name: "spark-node-2-vol-1" }, status: { phase: "Available" } },
      { metadata: { name: "spark-node-2-vol-2" }, status: { phase: "Released" } },
      { metadata: { name: "spark-node-2-vol-3" }, status: { phase: "Bound" } },
    ]);
    expect(existing[1]!.claim).to.equal("spark/spark-35-master-recovery");
    const plan = volumePlan(wanted, existing);
    expect(plan.create.map((s) => s.name)).to.deep.equal(["spark-node-vol-4"]);
    expect(plan.recycle.map((s) => s.name)).to.deep.equal(["spark-node-vol-2", "spark-node-vol-3"]);
    expect(plan.remove).to.deep.equal(["spark-node-2-vol-1", "spark-node-2-vol-2"]);
    expect(plan.strandedBound).to.deep.equal(["spark-node-2-vol-3"]);
    const settled = volumePlan(
      wanted,
      wanted.map((s) => ({ name: s.name, phase: "Available" })),
    );
    expect(settled).to.deep.equal({ create: [], recycle: [], remove: [], strandedBound: [] });
  });

  it("summarises what a reconcile did", () => {
    expect(
      volumeSummary({
        total: 8,
        created: [],
        recycled: ["spark-node-vol-2 (was spark/spark-35-master-recovery)"],
        removed: [],
        strandedBound: [],
      }),
    ).to.equal(
      "volumes: 8 volumes of class spark-platform-local; emptied and made Available again spark-node-vol-2 (was spark/spark-35-master-recovery)",
    );
  });
});
