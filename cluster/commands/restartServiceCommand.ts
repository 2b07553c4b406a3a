// `restart-service postgresql|minio`: a shared service stopped by its recorded PID and
// started again on the same data while the cluster keeps running (fault tests: pods see
// their database or object store go away and come back). Prints how long it took.
import type { Layout } from "../clusterLayout";
import { alive, Procs } from "../node/procs";
import { CLUSTER_NET, SERVICES_IP } from "../addressPlan";
import { httpOk, pgAnswers, startMinio, startPostgres } from "../services";
import { log } from "../support/clusterLog";
import { waitFor } from "../support/polling";
import type { RestartableService } from "./commandLine";

/** How each service is stopped: PostgreSQL's fast shutdown (SIGINT: clients disconnected,
 * a clean checkpoint; SIGTERM would wait for every client to leave), MinIO's SIGTERM. */
export const STOP_SIGNAL: Readonly<Record<RestartableService, NodeJS.Signals>> = {
  postgresql: "SIGINT",
  minio: "SIGTERM",
};

/** The line printed on stdout (tests read the seconds from it). */
export function restartLine(service: string, stopSeconds: number, totalSeconds: number): string {
  return `${service} restarted in ${totalSeconds.toFixed(1)} s (stopped in ${stopSeconds.toFixed(1)} s)`;
}

export async function restartServiceCommand(
  l: Layout,
  service: RestartableService,
): Promise<number> {
  const procs = new Procs(l.pidDir, l.logDir);
  const r = procs.get(service);
  const t0 = Date.now();
  if (r && alive(r)) {
    log(`${service}: stopping pid ${r.pid} (${STOP_SIGNAL[service]})`);
    await procs.stop(service, 60000, STOP_SIGNAL[service]);
  } else {
    log(`${service}: not running; starting it`);
  }
  const stopped = (Date.now() - t0) / 1000;
  const answers =
    service === "postgresql"
      ? () => pgAnswers(l)
      : () => httpOk(`http://${SERVICES_IP}:${CLUSTER_NET.minioPort}/minio/health/live`);
  if (service === "postgresql") await startPostgres(l, procs);
  else await startMinio(l, procs);
  if (!(await waitFor(answers, 60000, 200))) {
    log(`${service}: started but does not answer`);
    return 1;
  }
  process.stdout.write(restartLine(service, stopped, (Date.now() - t0) / 1000) + "\n");
  return 0;
}
