// The floor as a program of its own, for cold-start runs of `npm run bench`:
// `node tools/launcher/run.cjs tools/bench/floorProgram.ts <kinds.json>` loads the SDK,
// registers the kinds in the file (tools/bench/floor.ts) under the render tool's mocks and
// exits once every registration reached the monitor. Started as our commands start (the
// launcher's compile cache and SDK tuning), or, with NODE_DISABLE_COMPILE_CACHE=1 and
// SPARK_PLATFORM_PULUMI_AS_SHIPPED=1, as a minimal program would.
import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { skipUnreadPromiseStacks } from "../launcher/pulumiPromiseStacks";
import { RENDER_DIGEST_KEY, renderMocks, waitForRegistrations } from "../render/mocks";
import { registerFloor, type ResourceKind } from "./floor";

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error("usage: floorProgram.ts <kinds.json>");
  const kinds = JSON.parse(readFileSync(file, "utf8")) as ResourceKind[];
  skipUnreadPromiseStacks();
  await pulumi.runtime.setMocks(renderMocks(RENDER_DIGEST_KEY), "spark-platform", "floor", false);
  registerFloor(kinds);
  await waitForRegistrations();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
