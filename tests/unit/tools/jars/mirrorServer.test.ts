import { expect } from "chai";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mirrorFile, serveMirror } from "../../../../tools/jars/mirrorServer";

describe("derived images: the loopback Maven mirror", () => {
  it("maps request paths into the directory and nothing outside it", () => {
    expect(mirrorFile("/srv/m2", "/org/x/1.0/x-1.0.jar?y=1")).to.equal(
      "/srv/m2/org/x/1.0/x-1.0.jar",
    );
    expect(mirrorFile("/srv/m2", "/../m2-other/secret")).to.equal(undefined);
    expect(mirrorFile("/srv/m2", "/%2e%2e/etc/passwd")).to.equal(undefined);
  });

  it("serves the mirror's files on 127.0.0.1 and 404 for anything else", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mirror-server-"));
    mkdirSync(join(dir, "org/x/1.0"), { recursive: true });
    writeFileSync(join(dir, "org/x/1.0/x-1.0.jar"), "jar bytes");
    const server = await serveMirror(dir);
    try {
      expect(server.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      const ok = await fetch(`${server.url}/org/x/1.0/x-1.0.jar`);
      expect([ok.status, await ok.text()]).to.deep.equal([200, "jar bytes"]);
      expect((await fetch(`${server.url}/org/x/1.0/`)).status).to.equal(404);
      expect((await fetch(`${server.url}/org/y.jar`)).status).to.equal(404);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
