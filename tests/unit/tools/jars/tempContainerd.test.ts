import { expect } from "chai";
import { containerdConfig } from "../../../../tools/jars/tempContainerd";

describe("derived images: the temporary containerd of the checks", () => {
  it("lives entirely in its own directory and serves no CRI (never a cluster's)", () => {
    const config = containerdConfig("/work/check-x/containerd");
    const paths = [...config.matchAll(/"(\/[^"]*)"/g)].map((m) => m[1]!);
    expect(paths).to.have.length(5);
    for (const path of paths) expect(path.startsWith("/work/check-x/containerd/")).to.equal(true);
    expect(config).to.include('disabled_plugins = ["io.containerd.grpc.v1.cri"]');
  });
});
