// What `up`'s actions share: where things live, the built binaries, the process records,
// the node being brought up, and what earlier actions produced for later ones.
import { CONTROL_PLANE_NODE } from "../addressPlan";
import type { Binaries } from "../build/partBinaries";
import type { Layout } from "../clusterLayout";
import type { CoreImages } from "../coreImages";
import type { Action } from "../creator";
import type { ClusterNode } from "../node/clusterNode";
import { nodeLayout, NodeLayout } from "../node/nodeLayout";
import { controlPlaneCommands, nodeCommands } from "../node/processCommands";
import { kubeconfigFile } from "../node/kubeconfigs";
import type { Procs } from "../node/procs";

export interface UpContext {
  readonly layout: Layout;
  readonly bins: Binaries;
  readonly procs: Procs;
  /** The node `up` starts; its netns also runs the control plane. */
  readonly node: ClusterNode;
  readonly nodeLayout: NodeLayout;
  /** Set by the core images action; containerd, CoreDNS and the DNS probe use them. */
  images?: CoreImages;
}

export type UpAction = Action<UpContext>;

export function upContext(l: Layout, bins: Binaries, procs: Procs, node: ClusterNode): UpContext {
  return { layout: l, bins, procs, node, nodeLayout: nodeLayout(l, node) };
}

/** The core images, or a clear error when an action runs before they are built. */
export function builtImages(ctx: UpContext): CoreImages {
  if (!ctx.images)
    throw new Error("core images are not built yet (the core images action runs first)");
  return ctx.images;
}

/** Command lines of the control plane (in the control-plane node's netns) and of the node
 * being started (node/processCommands.ts). */
export function commandsOf(ctx: UpContext) {
  const input = {
    l: ctx.layout,
    bin: ctx.bins.bin,
    kubeconfig: (user: string) => kubeconfigFile(ctx.layout, user),
  };
  return {
    ...controlPlaneCommands(input, CONTROL_PLANE_NODE),
    ...nodeCommands(input, ctx.node, ctx.nodeLayout),
  };
}
