// npm run scan:secret-env -- [--stack <name>]...
// Renders each stack (dev and prod by default) and runs checkov's Kubernetes rule
// CKV_K8S_35 (Secrets as env instead of files) on its manifests. checkov is installed,
// pinned, into a virtualenv under the cache root on first use. Fails when checkov reports
// any container but the standalone daemons' `_SPARK_AUTH_SECRET` (tools/scan/secretEnvFindings.ts).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { cacheRoot } from "../../lib/cache/cacheRoot";
import { loadStackOrExit, PLACEHOLDER_SECRETS, stackFilePath } from "../cli/stackFiles";
import { evaluateProgram } from "../render/evaluate";
import { kubernetesManifests, manifestsYaml } from "../render/render";
import { allowedSecretEnvResources, splitFindings } from "./secretEnvFindings";

const CHECKOV_VERSION = "3.3.30";
const RULE = "CKV_K8S_35";

function checkovBinary(): string {
  const venv = join(cacheRoot(), `checkov-${CHECKOV_VERSION}`);
  const binary = join(venv, "bin", "checkov");
  if (!existsSync(binary)) {
    console.log(`scan: installing checkov ${CHECKOV_VERSION} into ${venv}`);
    execFileSync("python3", ["-m", "venv", venv], { stdio: "inherit" });
    execFileSync(join(venv, "bin", "pip"), ["install", "-q", `checkov==${CHECKOV_VERSION}`], {
      stdio: "inherit",
    });
  }
  return binary;
}

/** Resource ids checkov failed RULE on, from its JSON report. */
function failedResources(checkov: string, manifests: string): string[] {
  let stdout: string;
  try {
    stdout = execFileSync(
      checkov,
      [
        "-f",
        manifests,
        "--framework",
        "kubernetes",
        "--check",
        RULE,
        "-o",
        "json",
        "--quiet",
        // Offline: no guideline download from the vendor's API, no mapping fetch.
        "--skip-download",
      ],
      {
        encoding: "utf8",
        maxBuffer: 64 << 20,
        env: { ...process.env, BC_SKIP_MAPPING: "TRUE", CHECKOV_NO_UPDATE_CHECK: "TRUE" },
      },
    );
  } catch (error) {
    // checkov exits 1 when a check fails; the report is still on stdout.
    stdout = (error as { stdout?: string }).stdout ?? "";
    if (!stdout) throw error;
  }
  const report = JSON.parse(stdout) as { results?: { failed_checks?: { resource: string }[] } };
  return (report.results?.failed_checks ?? []).map((check) => check.resource);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { stack: { type: "string", multiple: true } } });
  const stacks = values.stack ?? ["dev", "prod"];
  const checkov = checkovBinary();
  const dir = mkdtempSync(join(tmpdir(), "spark-platform-scan-"));
  let regressions = 0;
  for (const stack of stacks) {
    const { raw, config } = loadStackOrExit(stackFilePath(stack));
    const { resources } = await evaluateProgram(raw, PLACEHOLDER_SECRETS, stack);
    const file = join(dir, `${stack}.yaml`);
    writeFileSync(file, manifestsYaml(kubernetesManifests(resources)));
    const allowed = allowedSecretEnvResources(
      config.releases
        .filter((r) => r.mode === "standalone")
        .map((r) => ({ namespace: r.namespace, master: r.names.master, worker: r.names.worker })),
    );
    const findings = splitFindings(failedResources(checkov, file), allowed);
    console.log(
      `scan: ${stack}: ${RULE} flags ${findings.allowed.length + findings.unexpected.length} workloads: ${findings.allowed.length} allowed (${findings.allowed.join(", ") || "none"}), ${findings.unexpected.length} unexpected${findings.unexpected.length ? ` (${findings.unexpected.join(", ")})` : ""}`,
    );
    regressions += findings.unexpected.length;
  }
  if (regressions > 0) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
