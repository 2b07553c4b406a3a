// The engine toolchain's entry (run by scripts/toolchain.sh): builds the Pulumi CLI, the
// Node.js language host, the provider plugins and the MinIO server into the cache, or
// prints where they are. See tools/toolchain/commandLine.ts.
import { toolchainCommand } from "../tools/toolchain/commandLine";

toolchainCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`[toolchain] ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
