import { expect } from "chai";
import { layout } from "../../../cluster/clusterLayout";
import { scriptEnv, withClusterHba } from "../../../cluster/services";

describe("cluster: shared services", () => {
  it("pg_hba gets every node's link and the whole pod range once", () => {
    const once = withClusterHba("local all all scram-sha-256\n");
    expect(once)
      .to.contain("host all all 10.201.0.0/24 scram-sha-256\n")
      .and.contain("host all all 10.244.0.0/16 scram-sha-256\n");
    expect(withClusterHba(once)).to.equal(once);
  });

  it("the scripts get our address and a cache root of their own, never the caller's secrets", () => {
    const saved = process.env.SPARK_PLATFORM_PG_PASSWORD;
    process.env.SPARK_PLATFORM_PG_PASSWORD = "from-the-shell";
    try {
      const env = scriptEnv(layout({ SPARK_PLATFORM_CACHE_DIR: "/cache" }));
      expect(env).to.include({
        SPARK_PLATFORM_CACHE_DIR: "/cache/cluster/services",
        SPARK_PLATFORM_PG_HOST: "10.201.0.1",
        SPARK_PLATFORM_MINIO_PORT: "9000",
      });
      expect(env.SPARK_PLATFORM_PG_PASSWORD).to.equal(undefined);
    } finally {
      if (saved === undefined) delete process.env.SPARK_PLATFORM_PG_PASSWORD;
      else process.env.SPARK_PLATFORM_PG_PASSWORD = saved;
    }
  });
});
