import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, runOk, succeeds } from "../../../../cluster/support/runCommand";

describe("cluster/support: running commands", () => {
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
    expect(await succeeds("spark-platform-no-such-command", [])).to.equal(false);
  });

  it("captures stdout and stderr, and both interleaved; passes input", async () => {
    const r = await run("bash", ["-c", "read x; echo out $x; echo err >&2"], { input: "in\n" });
    expect(r).to.include({ code: 0, stdout: "out in\n", stderr: "err\n" });
    expect(r.output).to.equal("out in\nerr\n");
  });

  it("hands every whole line to echo, also a last line without newline", async () => {
    const lines: string[] = [];
    await runOk("bash", ["-c", "printf 'a\\nb'; sleep 0.05; printf 'c\\nd'"], {
      echo: (l) => lines.push(l),
    });
    expect(lines).to.deep.equal(["a", "bc", "d"]);
  });

  it("runOk resolves with stdout, and rejects naming the command and quoting its output's tail", async () => {
    expect(await runOk("bash", ["-c", "echo fine"])).to.equal("fine\n");
    const failing = runOk("bash", ["-c", "seq 1 50; exit 3"], { tailLines: 2 });
    await failing.then(
      () => expect.fail("should reject"),
      (e: Error) => {
        expect(e.message).to.match(/^bash -c seq 1 50; exit 3 exited 3:\n49\n50$/);
      },
    );
  });

  it("runs under nice when asked", async () => {
    const base = Number(await runOk("nice", []));
    expect(Number(await runOk("nice", [], { nice: 10 }))).to.equal(Math.min(19, base + 10));
  });
});
