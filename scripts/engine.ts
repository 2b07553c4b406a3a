// npm run <preview|up|destroy|refresh> -- --stack <name> [--policy-pack] [--exclude-protected]
//   [--[no-]offline-backends]
// Runs the real Pulumi engine (built by scripts/toolchain.sh) on a stack of this
// repository, in a workspace under the cache (<cache>/workspaces/<stack>/) whose
// Pulumi.<stack>.yaml is generated from the committed one. See docs/engine.md.
import { join } from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { PROJECT_ROOT } from "../tools/cli/stackFiles";
import { parseEngineArgs, type EngineArgs } from "../tools/engine/args";
import { reconcileClusterVolumes } from "../tools/engine/localCluster";
import { preparePlatformStack } from "../tools/engine/workspace";

const log = (line: string) => console.log(`[engine] ${line}`);

/** Policy violations are printed by the engine itself; this counts them for the summary. */
function policyCounter(): { onEvent: (e: EngineEvent) => void; count: () => number } {
  let violations = 0;
  return {
    onEvent: (event) => {
      if (event.policyEvent) violations++;
    },
    count: () => violations,
  };
}

/** URNs of the protected resources a deployment still holds. */
function protectedResources(deployment: { deployment?: { resources?: unknown[] } }): string[] {
  const resources = (deployment.deployment?.resources ?? []) as {
    urn: string;
    protect?: boolean;
  }[];
  return resources.filter((r) => r.protect).map((r) => r.urn);
}

async function main(args: EngineArgs): Promise<void> {
  const started = Date.now();
  log(`${args.command} of stack ${args.stack}`);
  const prepared = await preparePlatformStack({
    stackName: args.stack,
    ...(args.offlineBackends !== undefined ? { offlineBackends: args.offlineBackends } : {}),
    log,
  });
  log(`workspace ${prepared.workspaceDir}`);
  if (prepared.cluster) log("applied to the local cluster (npm run cluster -- status)");
  else if (prepared.decision.offline) log(`manifests are rendered into ${prepared.renderDir}`);
  const prepSeconds = ((Date.now() - started) / 1000).toFixed(1);
  const onOutput = (text: string) => process.stdout.write(text);
  const policy = policyCounter();
  const policyPacks = args.policyPack ? [join(PROJECT_ROOT, "policy")] : undefined;
  const engineStarted = Date.now();
  let summary: string;
  switch (args.command) {
    case "preview": {
      const result = await prepared.stack.preview({
        onOutput,
        onEvent: policy.onEvent,
        ...(policyPacks ? { policyPacks } : {}),
      });
      summary = JSON.stringify(result.changeSummary);
      break;
    }
    case "up": {
      // Volumes a destroyed stack left Released are emptied and made Available again, so
      // this stack's claims bind (docs/local-cluster.md, "Storage").
      if (prepared.cluster) log(await reconcileClusterVolumes());
      const result = await prepared.stack.up({
        onOutput,
        onEvent: policy.onEvent,
        ...(policyPacks ? { policyPacks } : {}),
        // The local cluster keeps its objects across `cluster down`, but not across
        // `down --purge`: refresh first, so the stack's state forgets objects that are gone
        // and up creates them again (harmless when they are all there).
        ...(prepared.cluster ? { refresh: true } : {}),
      });
      summary = JSON.stringify(result.summary.resourceChanges ?? {});
      break;
    }
    case "destroy": {
      const result = await prepared.stack.destroy({
        onOutput,
        ...(args.excludeProtected ? { excludeProtected: true } : {}),
      });
      summary = JSON.stringify(result.summary.resourceChanges ?? {});
      if (args.excludeProtected) {
        const kept = protectedResources(await prepared.stack.exportStack());
        log(`kept ${kept.length} protected resources in the stack's state (data retained):`);
        for (const urn of kept) log(`  ${urn}`);
      }
      break;
    }
    case "refresh": {
      const result = await prepared.stack.refresh({ onOutput });
      summary = JSON.stringify(result.summary.resourceChanges ?? {});
      break;
    }
  }
  const engineSeconds = ((Date.now() - engineStarted) / 1000).toFixed(1);
  const total = ((Date.now() - started) / 1000).toFixed(1);
  log(`changes: ${summary}`);
  if (args.policyPack) log(`policy events: ${policy.count()}`);
  log(`time: ${total}s (workspace and backends ${prepSeconds}s, engine ${engineSeconds}s)`);
}

if (require.main === module) {
  const parsed = parseEngineArgs(process.argv.slice(2));
  if ("error" in parsed) {
    console.error(parsed.error);
    process.exit(2);
  }
  main(parsed).catch((error: unknown) => {
    // The engine's own output was streamed already; this names the failing step.
    console.error(
      `[engine] ${parsed.command} failed: ${(error as Error).message ?? String(error)}`,
    );
    process.exit(1);
  });
}
