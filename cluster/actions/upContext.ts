// What `up`'s actions share: where things live, the built binaries, the process records,
// the nodes the cluster has after this `up`, and what earlier actions produced for later
// ones. Node-scoped actions are made per node (each file's factory takes the node).
import { CONTROL_PLANE_NODE } from "../addressPlan";
import type { Binaries } from "../build/partBinaries";
import type { Layout } from "../clusterLayout";
import type { CoreImages } from "../coreImages";
import type { Action } from "../creator";
import type { ClusterNode } from "../node/clusterNode";
import { nodeLayout } from "../node/nodeLayout";
import { controlPlaneCommands, nodeCommands } from "../node/processCommands";
import { kubeconfigFile } from "../node/kubeconfigs";
import type { Procs } from "../node/procs";

export interface UpContext {
  readonly layout: Layout;
  readonly bins: Binaries;
  readonly procs: Procs;
  /** Every node of the cluster once `up` is done, node 1 (the control plane's) first. */
  readonly nodes: readonly ClusterNode[];
  /** When this `up` began (ms): a Node's or pod's Ready counts only when posted since, not
   * the one the API server kept from before `down`. */
  readonly startedAt: number;
  /** Set by the core images action; containerd, CoreDNS and the DNS probe use them. */
  images?: CoreImages;
}

export type UpAction = Action<UpContext>;

export function upContext(
  l: Layout,
  bins: Binaries,
  procs: Procs,
  nodes: readonly ClusterNode[],
): UpContext {
  return { layout: l, bins, procs, nodes, startedAt: Date.now() };
}

/** The core images, or a clear error when an action runs before they are built. */
export function builtImages(ctx: UpContext): CoreImages {
  if (!ctx.images)
    throw new Error("core images are not built yet (the core images action runs first)");
  return ctx.images;
}

function commandInput(ctx: UpContext) {
  return {
    l: ctx.layout,
    bin: ctx.bins.bin,
    kubeconfig: (user: string) => kubeconfigFile(ctx.layout, user),
  };
}

/** Command lines of the control plane, in the control-plane node's netns. */
export function controlPlaneCommandsOf(ctx: UpContext) {
  return controlPlaneCommands(commandInput(ctx), CONTROL_PLANE_NODE);
}

/** Command lines of one node's kubelet, kube-proxy and kube-router. */
export function nodeCommandsOf(ctx: UpContext, node: ClusterNode) {
  return nodeCommands(commandInput(ctx), node, nodeLayout(ctx.layout, node));
}
