// `up`: from a bare (or dirty) machine to a Ready node with working DNS, one action per
// phase (cluster/actions/), run in order by the creator with per-action timings.
import { applyInfraServices } from "../actions/applyInfraServices";
import { buildBinaries } from "../actions/buildBinaries";
import { buildCoreImages } from "../actions/buildCoreImages";
import { clearLeftovers } from "../actions/clearLeftovers";
import { createNodeNetwork } from "../actions/createNodeNetwork";
import { deployCoreDns } from "../actions/deployCoreDns";
import { fillJarMirror } from "../actions/fillJarMirror";
import { importStandInImages } from "../actions/importStandInImages";
import { installPrerequisites } from "../actions/installPrerequisites";
import { issueCertificates } from "../actions/issueCertificates";
import { probeFromPod } from "../actions/probeFromPod";
import { startApiServer } from "../actions/startApiServer";
import { startContainerd } from "../actions/startContainerd";
import { startControllers } from "../actions/startControllers";
import { startEtcd } from "../actions/startEtcd";
import { startKubelet } from "../actions/startKubelet";
import { startKubeProxyAndRouter } from "../actions/startKubeProxyAndRouter";
import { startSharedServices } from "../actions/startSharedServices";
import { UpAction, upContext } from "../actions/upContext";
import { partBinaries } from "../build/partBinaries";
import { printStatus, statusOf } from "../clusterHealth";
import type { Layout } from "../clusterLayout";
import { Creator } from "../creator";
import { FIRST_NODE } from "../node/clusterNode";
import { Procs } from "../node/procs";
import { log } from "../support/clusterLog";

export interface UpOptions {
  restart: boolean;
  standIns: boolean;
}

/** Before anything starts: packages and binaries. */
export const PREPARE: readonly UpAction[] = [installPrerequisites, buildBinaries];

/** From a clean slate to a Ready node with DNS answering from a pod. The shared services
 * start in the background beside the control plane; the spark-infra Services await them. */
export const START: readonly UpAction[] = [
  clearLeftovers,
  createNodeNetwork,
  issueCertificates,
  buildCoreImages,
  startSharedServices,
  startEtcd,
  startApiServer,
  startControllers,
  startContainerd,
  startKubelet,
  startKubeProxyAndRouter,
  deployCoreDns,
  applyInfraServices,
  probeFromPod,
];

/** After the node is up (or was already): the platform's images and jars. */
export function finish(opts: UpOptions): UpAction[] {
  return [...(opts.standIns ? [importStandInImages] : []), fillJarMirror];
}

const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);

export async function upCommand(l: Layout, opts: UpOptions): Promise<number> {
  const t0 = Date.now();
  const ctx = upContext(l, partBinaries(l), new Procs(l.pidDir, l.logDir), FIRST_NODE);
  const creator = new Creator(ctx, { log });
  await creator.run(PREPARE);
  const healthy = !opts.restart && (await statusOf(l)).every((s) => s.ok);
  if (healthy) log("already up and healthy: nothing restarted (--restart starts fresh)");
  else {
    await creator.run(START);
    log(`cluster up: node Ready and DNS answering ${seconds(t0)} s after start`);
  }
  await creator.run(finish(opts));
  log(creator.summary());
  log(`total ${seconds(t0)} s; KUBECONFIG=${l.adminKubeconfig}`);
  printStatus(await statusOf(l));
  return 0;
}
