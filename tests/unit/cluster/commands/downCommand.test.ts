import { expect } from "chai";
import { forgottenPaths, purgedPaths } from "../../../../cluster/commands/downCommand";
import { layout } from "../../../../cluster/clusterLayout";
import { clusterNodes } from "../../../../cluster/node/clusterNode";

describe("cluster/commands: down --purge", () => {
  const l = layout({ SPARK_PLATFORM_CACHE_DIR: "/cache" });

  it("wipes the cluster's state of every node; plain down keeps it", () => {
    const purged = purgedPaths(l, clusterNodes(2));
    expect(purged).to.include.members([
      "/cache/cluster/state/etcd",
      "/cache/cluster/state/pki",
      "/cache/cluster/services",
      "/cache/cluster/state/containerd",
      "/cache/cluster/state/volumes",
      "/cache/cluster/state/nodes/spark-node-2/containerd",
      "/cache/cluster/state/nodes/spark-node-2/volumes",
      "/cache/cluster/state/nodes",
      "/cache/cluster/state/cluster.json",
    ]);
    for (const p of purged) expect(p.startsWith("/cache/cluster/")).to.equal(true);
    expect(purged).to.not.include("/cache/cluster/bin");
    expect(purged).to.not.include("/cache/cluster/maven-mirror");
  });

  it("--forget-objects deletes etcd and every node's volumes, and keeps images and the PKI", () => {
    const forgotten = forgottenPaths(l, clusterNodes(2));
    expect(forgotten).to.have.members([
      "/cache/cluster/state/etcd",
      "/cache/cluster/state/volumes",
      "/cache/cluster/state/nodes/spark-node-2/volumes",
    ]);
    const purged = purgedPaths(l, clusterNodes(2));
    for (const p of forgotten) expect(purged).to.include(p);
  });
});
