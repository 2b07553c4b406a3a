// The MinIO server (required: the integration suite and `npm run up` store event-log
// markers in it): github.com/minio/minio at MINIO_SERVER_VERSION with its own go.mod/go.sum,
// reflect2 raised to MINIO_REFLECT2_VERSION (see versions.ts).
import * as path from "node:path";
import { go, goOutput, ownSumsEnv } from "../goCommand";
import { MINIO_REFLECT2_VERSION, MINIO_SERVER_VERSION } from "../versions";
import { freshDir, installBinary, wrapperFromModule } from "../wrapper";
import { cached, type ToolchainPart } from "./part";

const MODULE = "github.com/minio/minio";
const REFLECT2 = "github.com/modern-go/reflect2";

export const minioServer: ToolchainPart = {
  name: "minio-server",
  async build({ layout, env }) {
    if (cached("minio-server", path.join(layout.minioServerDir, "minio"))) return true;
    const work = path.join(layout.workDir, `minio-${MINIO_SERVER_VERSION}`);
    freshDir(work);
    const o = { cwd: work, env: ownSumsEnv(env, MODULE) };
    await wrapperFromModule(o, MODULE, MINIO_SERVER_VERSION, "spark-platform/toolchain/minio");
    await go(["mod", "edit", "-require", `${REFLECT2}@${MINIO_REFLECT2_VERSION}`], o);
    await go(["build", "-o", path.join(work, "minio"), MODULE], o);
    // The build resolved the module graph again: check that the raised pin held.
    const used = (await goOutput(["list", "-m", "-f", "{{.Version}}", REFLECT2], o)).trim();
    if (used !== MINIO_REFLECT2_VERSION) {
      throw new Error(`the build used ${REFLECT2} ${used}, not ${MINIO_REFLECT2_VERSION}`);
    }
    installBinary(path.join(work, "minio"), layout.minioServerDir, "minio");
    return true;
  },
};
