// `status`: per-part state on stderr (or JSON on stdout); exit 3 when something is down.
import { printStatus, statusOf } from "../clusterHealth";
import type { Layout } from "../clusterLayout";

export async function statusCommand(l: Layout, json: boolean): Promise<number> {
  const st = await statusOf(l);
  if (json) process.stdout.write(JSON.stringify(st, null, 2) + "\n");
  else printStatus(st);
  return st.every((s) => s.ok) ? 0 : 3;
}
