// The derived images of `npm run jars -- build-images` (the official images plus the jars
// they lack: docs/jars.md), imported into a node's containerd when their listing exists, so
// a stack with `jars.source: image` runs on the local cluster. Nothing when none was built.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { derivedImagesListing } from "../../lib/cache/cacheRoot";
import { ClusterNode, forNode } from "../node/clusterNode";
import { importAll } from "../node/imageImport";
import { nodeLayout } from "../node/nodeLayout";
import { log } from "../support/clusterLog";
import type { UpAction } from "./upContext";

/** The archives a listing names that still exist (a pruned cache drops some). */
export function listedArchives(
  listing: readonly { ref: string; tar: string }[],
  exists: (path: string) => boolean = existsSync,
): { ref: string; tar: string }[] {
  return listing.filter((entry) => exists(entry.tar)).map(({ ref, tar }) => ({ ref, tar }));
}

export function importDerivedImages(node: ClusterNode): UpAction {
  return {
    name: forNode(node, "derived images"),
    async run(ctx) {
      const listing = derivedImagesListing(ctx.layout.cacheDir);
      if (!existsSync(listing)) {
        log("derived images: none built (npm run jars -- build-images)");
        return;
      }
      const entries = JSON.parse(await readFile(listing, "utf8")) as { ref: string; tar: string }[];
      await importAll(nodeLayout(ctx.layout, node), listedArchives(entries));
    },
  };
}
