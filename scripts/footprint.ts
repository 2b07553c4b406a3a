// npm run footprint -- --stack <name> [--file <stack file>] [--fit <cpus>,<memory>]
// Prints the CPU and memory a stack asks for, per release and in total, from the rendered
// manifests (no cloud, no cluster). With --fit (e.g. `--fit 4,8Gi`) exits 1 when the
// steady requests do not fit a cluster of that size.
import { parseArgs } from "node:util";
import { loadStackOrExit, PLACEHOLDER_SECRETS, stackFilePath } from "../tools/cli/stackFiles";
import { evaluateProgram } from "../tools/render/evaluate";
import { fitsCapacity, formatFootprint, stackFootprint } from "../tools/footprint/footprint";
import { kubernetesManifests } from "../tools/render/render";
import { cpuToMillicores, memoryToMiB } from "../lib/units/sizes";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { stack: { type: "string" }, file: { type: "string" }, fit: { type: "string" } },
  });
  if (!values.stack) {
    console.error(
      "usage: npm run footprint -- --stack <name> [--file <stack file>] [--fit <cpus>,<memory>]",
    );
    process.exit(2);
  }
  const { raw, config } = loadStackOrExit(values.file ?? stackFilePath(values.stack));
  const { resources } = await evaluateProgram(raw, PLACEHOLDER_SECRETS, values.stack);
  const footprint = stackFootprint(config, kubernetesManifests(resources));
  console.log(formatFootprint(values.stack, footprint));
  if (values.fit) {
    const [cpus, memory] = values.fit.split(",");
    if (!cpus || !memory) {
      console.error(`--fit ${values.fit}: expected <cpus>,<memory>, e.g. 4,8Gi`);
      process.exit(2);
    }
    const capacity = { cpuMilli: cpuToMillicores(cpus), memoryMiB: memoryToMiB(memory) };
    const fits = fitsCapacity(footprint.steadyTotal, capacity);
    console.log(
      `${fits ? "fits" : "DOES NOT FIT"} a cluster of ${cpus} CPU / ${memory} (steady requests)`,
    );
    if (!fits) process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
