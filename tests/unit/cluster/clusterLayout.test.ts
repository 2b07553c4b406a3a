import { expect } from "chai";
import { imagesCacheDir, layout, partDir } from "../../../cluster/clusterLayout";

describe("cluster: layout", () => {
  it("keeps everything under <cache>/cluster", () => {
    const l = layout({ SPARK_PLATFORM_CACHE_DIR: "/cache" });
    expect(l.adminKubeconfig).to.equal("/cache/cluster/state/pki/admin.kubeconfig");
    expect(l.buildLogDir).to.equal("/cache/cluster/build-logs");
    expect(partDir(l, "etcd", "v3.6.16")).to.equal("/cache/cluster/bin/etcd-v3.6.16");
    expect(imagesCacheDir(l.cacheDir)).to.equal("/cache/cluster/images");
    expect(layout({ HOME: "/home/u" }).clusterDir).to.equal(
      "/home/u/.cache/spark-platform/cluster",
    );
  });
});
