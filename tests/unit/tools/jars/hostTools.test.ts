import { expect } from "chai";
import {
  BUILD_TOOLS,
  CHECK_TOOLS,
  missingToolsMessage,
  packagesFor,
} from "../../../../tools/jars/hostTools";

describe("derived images: host programs and their Debian packages", () => {
  it("installs each missing program's package once", () => {
    expect(packagesFor(CHECK_TOOLS, new Set(["containerd", "ctr", "runc"]))).to.deep.equal([
      "containerd",
      "runc",
    ]);
    expect(packagesFor(BUILD_TOOLS, new Set())).to.deep.equal([]);
  });

  it("names every missing program, its package and the install command", () => {
    const message = missingToolsMessage(BUILD_TOOLS, new Set(["buildah", "debootstrap"]));
    expect(message).to.include("buildah (Debian package buildah)");
    expect(message).to.include("debootstrap (Debian package debootstrap)");
    expect(message).to.not.include("skopeo");
    expect(message).to.match(/apt-get install -y --no-install-recommends buildah debootstrap$/);
  });
});
