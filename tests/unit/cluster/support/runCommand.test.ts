import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../../../cluster/support/runCommand";

describe("cluster/exec: run", () => {
  it("logs into a directory that does not exist yet (a fresh cache: `up` stops leftovers first)", async () => {
    const root = mkdtempSync(join(tmpdir(), "exec-test-"));
    try {
      const logFile = join(root, "state", "logs", "minio-script.log");
      const result = await run("bash", ["-c", "echo stopped"], { logFile });
      expect(result.code).to.equal(0);
      expect(readFileSync(logFile, "utf8")).to.equal("stopped\n");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("reads a command that cannot be started as exit code 127", async () => {
    const result = await run("spark-platform-no-such-command", []);
    expect(result.code).to.equal(127);
  });
});
