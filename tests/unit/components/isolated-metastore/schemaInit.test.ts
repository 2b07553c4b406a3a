import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  SCHEMA_INFO_CAUSES,
  classifySchemaInfo,
  schemaInitScript,
  type SchemaInfoKind,
} from "../../../../components/isolated-metastore/schemaInit";
import type { ReleaseConfig } from "../../../../lib/config/model";
import { PROJECT_ROOT } from "../../../../tools/cli/stackFiles";
import { parseValid, rawConfig, baseValues } from "../../../support/stacks";

const [spark35, spark41] = parseValid(rawConfig(baseValues())).releases as [
  ReleaseConfig,
  ReleaseConfig,
];
const FIXTURES = join(PROJECT_ROOT, "tests/fixtures/schematool");

/**
 * Recorded-style `schematool -info -verbose` outputs (Hive 3.1.3 HiveSchemaTool, Hive 4.0.0
 * MetastoreSchemaTool, pgjdbc messages), the release they belong to, and what they mean.
 */
const RECORDED: readonly [file: string, release: ReleaseConfig, kind: SchemaInfoKind][] = [
  ["match-4.0.0.txt", spark41, "matching"],
  ["empty-4.0.0.txt", spark41, "empty"],
  ["empty-3.1.3.txt", spark35, "empty"],
  ["older-schema-4.0.0.txt", spark41, "incompatible"],
  ["driver-missing-4.0.0.txt", spark41, "driver-missing"],
  ["scram-3.1.3.txt", spark35, "scram-unsupported"],
  ["password-4.0.0.txt", spark41, "password-rejected"],
  ["database-missing-4.0.0.txt", spark41, "database-missing"],
  ["dns-4.0.0.txt", spark41, "dns-failure"],
  ["refused-4.0.0.txt", spark41, "connection-refused"],
  ["timeout-4.0.0.txt", spark41, "connect-timeout"],
  ["unknown-oom.txt", spark41, "unknown"],
];
const exitCodeOf = (kind: SchemaInfoKind) => (kind === "matching" ? 0 : 1);
const recorded = (file: string) => readFileSync(join(FIXTURES, file), "utf8");

/**
 * A stand-in `schematool` that answers `-info` with a recorded output and logs every
 * invocation, so the test sees exactly which schema commands would have run.
 */
const FAKE_SCHEMATOOL = `#!/bin/bash
echo "$*" >> "$CALLS"
case "$*" in
  *-info*) cat "$RECORDED"; exit "$RC" ;;
  *) exit 0 ;;
esac
`;

function runInit(
  release: ReleaseConfig,
  file: string,
  rc: number,
): { status: number | null; calls: string[]; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "schema-init-"));
  const tool = join(dir, "schematool");
  writeFileSync(tool, FAKE_SCHEMATOOL);
  chmodSync(tool, 0o755);
  const calls = join(dir, "calls");
  writeFileSync(calls, "");
  const result = spawnSync("bash", ["-c", schemaInitScript(release)], {
    env: {
      ...process.env,
      SCHEMATOOL: tool,
      CALLS: calls,
      RECORDED: join(FIXTURES, file),
      RC: String(rc),
    },
    encoding: "utf8",
  });
  return {
    status: result.status,
    calls: readFileSync(calls, "utf8").trim().split("\n").filter(Boolean),
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

const lastLine = (text: string) => text.trimEnd().split("\n").at(-1) ?? "";

describe("schema-init: what schematool -info said (pure classifier)", () => {
  for (const [file, release, kind] of RECORDED) {
    it(`${file} reads as ${kind}`, () => {
      const info = classifySchemaInfo(release, recorded(file), exitCodeOf(kind));
      expect(info.kind).to.equal(kind);
      expect(info.message).not.to.contain("\n");
      expect(info.message.startsWith("spark-platform: ")).to.equal(true);
      const refusal = "does not accept; refusing to upgrade";
      if (kind === "incompatible") expect(info.message).to.contain(refusal);
      else expect(info.message).not.to.contain(refusal);
    });
  }

  it("names the real cause and quotes the line that shows it", () => {
    const message = (file: string) => classifySchemaInfo(spark41, recorded(file), 1).message;
    expect(message("dns-4.0.0.txt"))
      .to.contain("does not resolve")
      .and.contain("[Caused by: java.net.UnknownHostException: postgresql.spark-infra.svc]");
    expect(message("timeout-4.0.0.txt"))
      .to.contain("spark-41-allow-postgres")
      .and.contain("Connect timed out]");
    expect(message("password-4.0.0.txt")).to.contain(
      "rejected the password of role metastore_spark41",
    );
    expect(classifySchemaInfo(spark35, recorded("scram-3.1.3.txt"), 1).message).to.contain(
      "SCRAM-SHA-256",
    );
    expect(message("driver-missing-4.0.0.txt")).to.contain("no PostgreSQL JDBC driver");
  });

  it("patterns read the same in JavaScript and grep -E, and messages survive an echo", () => {
    for (const cause of SCHEMA_INFO_CAUSES) {
      expect(cause.pattern, cause.kind).to.match(/^[^'\\]+$/);
      expect(cause.explain(spark41), cause.kind).to.match(/^[^"$`\\\n]+$/);
    }
  });
});

describe("schema-init script (bash, recorded outputs): init empty databases only, never upgrade", () => {
  for (const [file, release, kind] of RECORDED) {
    it(`${file}: ${kind === "empty" ? "initialises" : kind === "matching" ? "does nothing" : "stops with the cause in one line"}`, () => {
      const run = runInit(release, file, exitCodeOf(kind));
      const expected = classifySchemaInfo(release, recorded(file), exitCodeOf(kind)).message;
      if (kind === "empty") {
        expect(run.status).to.equal(0);
        expect(run.calls).to.deep.equal([
          "-dbType postgres -info -verbose",
          "-dbType postgres -initSchema",
        ]);
        expect(lastLine(run.stdout)).to.equal(expected);
      } else {
        expect(run.calls, "only -info ran").to.deep.equal(["-dbType postgres -info -verbose"]);
        expect(run.status).to.equal(kind === "matching" ? 0 : 1);
        // The script's verdict is the classifier's, word for word.
        expect(lastLine(kind === "matching" ? run.stdout : run.stderr)).to.equal(expected);
      }
      expect(run.stdout, "schematool's own output is shown").to.contain("Metastore connection");
    });
  }

  it("the script contains no upgrade command at all", () => {
    for (const release of [spark35, spark41]) {
      expect(schemaInitScript(release)).not.to.match(/upgradeSchema|initOrUpgradeSchema/);
    }
  });
});
