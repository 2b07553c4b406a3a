// What a part of the toolchain is: a name in the progress lines and a build that is
// skipped when its binary is already in the cache.
import type { ToolchainLayout } from "../layout";
import { isExecutable } from "../printing";
import { log } from "../toolchainLog";

export interface PartContext {
  readonly layout: ToolchainLayout;
  /** The environment Go runs in (the caller's, plus what a part adds). */
  readonly env: NodeJS.ProcessEnv;
}

export interface ToolchainPart {
  /** As the progress lines name it ("cli", "minio-server", ...). */
  readonly name: string;
  /**
   * Builds the part into the cache unless it is there. Resolves false when the part cannot
   * be built here (having said why); rejects when a step fails.
   */
  build(ctx: PartContext): Promise<boolean>;
}

/** The binary is in the cache already (said in the progress lines): nothing to build. */
export function cached(part: string, binary: string): boolean {
  if (!isExecutable(binary)) return false;
  log(`${part}: cached ${binary}`);
  return true;
}
