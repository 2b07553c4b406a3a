// PostgreSQL, MinIO and the Maven mirror on the host's veth address. They need only the
// node network, so they start in the background beside the control plane;
// applyInfraServices.ts awaits them.
import { startMinio, startMirror, startPostgres } from "../services";
import type { UpAction } from "./upContext";

export const SHARED_SERVICES = "shared services";

export const startSharedServices: UpAction = {
  name: SHARED_SERVICES,
  background: true,
  async run(ctx) {
    await startPostgres(ctx.layout, ctx.procs);
    await startMinio(ctx.layout, ctx.procs);
    await startMirror(ctx.layout, ctx.procs);
  },
};
