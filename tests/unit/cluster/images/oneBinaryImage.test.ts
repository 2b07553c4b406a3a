import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import {
  CONNECT_TLS_REF,
  ONE_BINARY_SPECS,
  oneBinaryImage,
  PROBE_REF,
} from "../../../../cluster/images/oneBinaryImage";
import { PARTS } from "../../../../cluster/build/parts";
import { parsePlatformConfig } from "../../../../lib/config/parse";
import { rawConfigFromStackFile } from "../../../../lib/config/sources";
import { stackFilePath } from "../../../../tools/cli/stackFiles";

const tarText = (tar: string, member: string) =>
  execFileSync("tar", ["-xOf", tar, member], { encoding: "utf8" });

describe("cluster/images: one-binary images", () => {
  it("pause, coredns, probe and connect-tls each run their binary at /<name>", () => {
    for (const [name, spec] of Object.entries(ONE_BINARY_SPECS)) {
      expect(spec.entrypoint).to.deep.equal([`/${name}`]);
    }
    expect(ONE_BINARY_SPECS.probe.ref).to.equal(PROBE_REF);
  });

  it("connect-tls is built from images/connect-tls and is the image the local stacks' Connect releases run", () => {
    const part = PARTS.find((p) => p.name === "connect-tls")!;
    expect(part.binaries).to.deep.equal(["connect-tls"]);
    expect(ONE_BINARY_SPECS["connect-tls"].ref).to.equal(CONNECT_TLS_REF);
    for (const stack of ["local", "local-prod"]) {
      const parsed = parsePlatformConfig(rawConfigFromStackFile(stackFilePath(stack)));
      expect(parsed.ok, stack).to.equal(true);
      if (!parsed.ok) continue;
      for (const release of parsed.config.releases.filter((r) => r.mode === "connect")) {
        expect(release.connect!.tlsImage, `${stack} ${release.name}`).to.equal(CONNECT_TLS_REF);
      }
    }
  });

  it("builds an importable OCI tar of the binary and an empty /tmp, cached by the binary", async function () {
    this.timeout(60000);
    const root = mkdtempSync(join(tmpdir(), "one-binary-"));
    try {
      const binary = join(root, "probe-binary");
      copyFileSync("/bin/true", binary);
      const ctx = { root: join(root, "images"), log: () => undefined };
      const built = await oneBinaryImage(ctx, "probe", binary);
      expect(built).to.include({ ref: PROBE_REF, cached: false });
      expect(basename(built.tar)).to.match(/^probe-[0-9a-f]{16}\.tar$/);
      const index = JSON.parse(tarText(built.tar, "./index.json")) as {
        manifests: { digest: string; annotations: Record<string, string> }[];
      };
      expect(index.manifests[0]!.annotations["io.containerd.image.name"]).to.equal(PROBE_REF);
      const blob = (digest: string) => `./blobs/sha256/${digest.slice("sha256:".length)}`;
      const manifest = JSON.parse(tarText(built.tar, blob(index.manifests[0]!.digest))) as {
        config: { digest: string };
        layers: { digest: string }[];
      };
      const config = JSON.parse(tarText(built.tar, blob(manifest.config.digest))) as {
        config: { Entrypoint: string[]; User: string };
      };
      expect(config.config).to.include({ User: "65532:65532" });
      expect(config.config.Entrypoint).to.deep.equal(["/probe"]);
      execFileSync("tar", ["-xf", built.tar, "-C", root, blob(manifest.layers[0]!.digest)]);
      const files = execFileSync("tar", ["-tvf", join(root, blob(manifest.layers[0]!.digest))], {
        encoding: "utf8",
      });
      expect(files).to.match(/^-rwxr-xr-x \d+\/\d+ .* \.\/probe$/m);
      expect(files).to.match(/^drwxrwxrwt \d+\/\d+ .* \.\/tmp\/$/m);
      const again = await oneBinaryImage(ctx, "probe", binary);
      expect(again).to.include({ tar: built.tar, cached: true });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
