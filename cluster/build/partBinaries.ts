// Where each built part's binaries are: <cache>/cluster/bin/<part>-<version>/<binary>.
import * as fs from "node:fs";
import * as path from "node:path";
import { Layout, partDir } from "../clusterLayout";
import { PARTS, Part, PartName } from "./parts";

export interface Binaries {
  dirs: Record<PartName, string>;
  /** Absolute path of one binary, e.g. bin("kubelet"). */
  bin: (name: string) => string;
}

export function partBinaries(l: Layout): Binaries {
  const dirs = {} as Record<PartName, string>;
  const where = new Map<string, string>();
  for (const p of PARTS) {
    const dir = partDir(l, p.name, p.version);
    dirs[p.name as PartName] = dir;
    for (const b of p.binaries) where.set(b, path.join(dir, b));
  }
  return {
    dirs,
    bin: (name) => {
      const file = where.get(name);
      if (!file) throw new Error(`no part builds ${name}`);
      return file;
    },
  };
}

/** Every binary of the part is in the cache and executable. */
export function isBuilt(l: Layout, p: Part): boolean {
  const dir = partDir(l, p.name, p.version);
  return p.binaries.every((b) => {
    try {
      return (fs.statSync(path.join(dir, b)).mode & 0o111) !== 0;
    } catch {
      return false;
    }
  });
}
