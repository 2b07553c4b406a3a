// Where `npm run bench:cluster` keeps its log and results, and how it reports progress:
// lines on stderr and in the run's log file; the engine's own output in the file only.
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { cacheRoot } from "../../../lib/cache/cacheRoot";

/** <cache>/bench: logs, result JSON files and the (0700) rendered manifests. */
export function benchDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), "bench");
}

export interface BenchLog {
  /** This run's time stamp, in the names of its log and result files. */
  readonly stamp: string;
  /** <bench dir>/cluster-<stamp>.log */
  readonly file: string;
  /** A progress line, on stderr and in the log file. */
  say(line: string): void;
  /** Output of the engine and of kubectl, in the log file only. */
  record(text: string): void;
}

/** The log of a run started `now`, in `dir` (which must exist). */
export function benchLog(dir: string, now: Date = new Date()): BenchLog {
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  const file = join(dir, `cluster-${stamp}.log`);
  return {
    stamp,
    file,
    say(line) {
      console.error(`[bench] ${line}`);
      appendFileSync(file, `[bench] ${line}\n`);
    },
    record(text) {
      appendFileSync(file, text);
    },
  };
}
