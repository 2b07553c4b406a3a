// Which parts a command line asks for, and running them in order: each with a start line
// and an ok / FAILED / skipped line with its seconds; required failures fail the run.
import { linkBundled } from "./bundled";
import { cli } from "./parts/cli";
import { kubernetes } from "./parts/kubernetes";
import { minioServer } from "./parts/minioServer";
import { nodejsHost } from "./parts/nodejsHost";
import type { PartContext, ToolchainPart } from "./parts/part";
import { minioProvider, postgresql } from "./parts/providerProbes";
import { pathEntries } from "./printing";
import { log } from "./toolchainLog";

export const PART_WORDS = "all|cli|nodejs|kubernetes|postgresql|minio";

export interface PartRun {
  readonly part: ToolchainPart;
  /** A failed required part fails the command; an optional one is reported and skipped. */
  readonly required: boolean;
}

/** The runs a command line asks for, in order, up to an unknown word (which stops it). */
export function planParts(words: readonly string[]): {
  runs: PartRun[];
  unknown?: string;
} {
  const req = (part: ToolchainPart) => ({ part, required: true });
  const opt = (part: ToolchainPart) => ({ part, required: false });
  const expansions: Record<string, PartRun[]> = {
    all: [
      req(cli),
      req(nodejsHost),
      req(kubernetes),
      opt(postgresql),
      opt(minioProvider),
      // Required: the integration suite and `npm run up` store event-log markers in it.
      req(minioServer),
    ],
    cli: [req(cli)],
    nodejs: [req(nodejsHost)],
    kubernetes: [req(kubernetes)],
    postgresql: [req(postgresql)],
    minio: [opt(minioProvider), req(minioServer)],
  };
  const runs: PartRun[] = [];
  for (const word of words.length ? words : ["all"]) {
    const expansion = Object.hasOwn(expansions, word) ? expansions[word] : undefined;
    if (!expansion) return { runs, unknown: word };
    runs.push(...expansion);
  }
  return { runs };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Runs one part; true when it built or was cached. */
async function runPart(run: PartRun, ctx: PartContext): Promise<boolean> {
  const name = run.part.name;
  const start = nowSeconds();
  log(`${name}: start`);
  let ok: boolean;
  try {
    ok = await run.part.build(ctx);
  } catch (e) {
    log(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    ok = false;
  }
  const secs = nowSeconds() - start;
  if (ok) log(`${name}: ok (${secs}s)`);
  else if (run.required) log(`${name}: FAILED (${secs}s)`);
  else log(`${name}: failed, optional part skipped (${secs}s)`);
  return ok;
}

/** Builds what `words` ask for; resolves with the exit code (2: unknown word, 1: failure). */
export async function buildParts(words: readonly string[], ctx: PartContext): Promise<number> {
  const { runs, unknown } = planParts(words);
  const failedRequired: string[] = [];
  const failedOptional: string[] = [];
  for (const run of runs) {
    if (!(await runPart(run, ctx))) {
      (run.required ? failedRequired : failedOptional).push(run.part.name);
    }
  }
  if (unknown !== undefined) {
    log(`unknown part: ${unknown} (${PART_WORDS}|--print-path|--print-plugins)`);
    return 2;
  }
  linkBundled(ctx.layout);
  if (failedOptional.length) log(`optional parts not built: ${failedOptional.join(" ")}`);
  if (failedRequired.length) {
    log(`required parts failed: ${failedRequired.join(" ")}`);
    return 1;
  }
  log(`PATH entries: ${pathEntries(ctx.layout)}`);
  return 0;
}
