// `build [part...]`: only build the binaries (all parts, or the named ones) into the cache.
import { ensureBuilt } from "../build/ensureBuilt";
import type { Layout } from "../clusterLayout";

export async function buildCommand(l: Layout, parts: string[]): Promise<number> {
  await ensureBuilt(l, parts);
  return 0;
}
