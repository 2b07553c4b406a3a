import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { schemaInitScript } from "../../../components/isolated-metastore/hiveSite";
import { parseValid, rawConfig, baseValues } from "../../support/stacks";

/**
 * Runs the real schema-init script against a stand-in `schematool` that answers `-info`
 * the way Hive's does (messages from Hive 3.1.3 / 4.0.0 MetastoreSchemaTool) and logs
 * every invocation, so the test sees exactly which schema commands would have run.
 */
const FAKE_SCHEMATOOL = `#!/bin/bash
echo "$*" >> "$CALLS"
case "$*" in
  *-info*)
    echo "Metastore connection URL:	 jdbc:postgresql://pg:5432/metastore_spark41"
    case "$STATE" in
      empty) echo 'Failed to get schema version, Cause:ERROR: relation "VERSION" does not exist' >&2; exit 1 ;;
      down) echo 'Failed to get schema version.' >&2; echo 'Underlying cause: java.net.ConnectException' >&2; exit 1 ;;
      match) echo "Hive distribution version:	 4.0.0"; echo "Metastore schema version:	 4.0.0"; exit 0 ;;
      old) echo "Hive distribution version:	 4.0.0"; echo "Metastore schema version:	 3.1.0";
           echo "Metastore schema version is not compatible. Hive Version: 4.0.0, Database Schema Version: 3.1.0" >&2; exit 1 ;;
    esac ;;
  *) exit 0 ;;
esac
`;

function runInit(state: "empty" | "down" | "match" | "old"): {
  status: number | null;
  calls: string[];
  output: string;
} {
  const dir = mkdtempSync(join(tmpdir(), "schema-init-"));
  const tool = join(dir, "schematool");
  writeFileSync(tool, FAKE_SCHEMATOOL);
  chmodSync(tool, 0o755);
  const calls = join(dir, "calls");
  writeFileSync(calls, "");
  const release = parseValid(rawConfig(baseValues())).releases[1]!;
  const result = spawnSync("bash", ["-c", schemaInitScript(release)], {
    env: { ...process.env, SCHEMATOOL: tool, CALLS: calls, STATE: state },
    encoding: "utf8",
  });
  return {
    status: result.status,
    calls: readFileSync(calls, "utf8").trim().split("\n").filter(Boolean),
    output: `${result.stdout}${result.stderr}`,
  };
}

describe("metastore schema init never upgrades", () => {
  it("initialises an empty database", () => {
    const run = runInit("empty");
    expect(run.status).to.equal(0);
    expect(run.calls).to.deep.equal(["-dbType postgres -info", "-dbType postgres -initSchema"]);
  });

  it("leaves a matching schema alone", () => {
    const run = runInit("match");
    expect(run.status).to.equal(0);
    expect(run.calls).to.deep.equal(["-dbType postgres -info"]);
  });

  it("refuses an older schema instead of upgrading it", () => {
    const run = runInit("old");
    expect(run.status).to.equal(1);
    expect(run.calls).to.deep.equal(["-dbType postgres -info"]);
    expect(run.output).to.contain("refusing to upgrade it implicitly");
  });

  it("does not try to initialise when the database is unreachable", () => {
    const run = runInit("down");
    expect(run.status).to.equal(1);
    expect(run.calls).to.deep.equal(["-dbType postgres -info"]);
  });

  it("the script contains no upgrade command at all", () => {
    const release = parseValid(rawConfig(baseValues())).releases[0]!;
    expect(schemaInitScript(release)).not.to.match(/upgradeSchema|initOrUpgradeSchema/);
  });
});
