// The postgresql and minio provider plugins cannot be built here: neither the pulumi
// provider modules nor their upstream Terraform providers are served by the proxy. Each
// part asks the proxy for its module (about a second) so a change on its side is noticed,
// and reports that it is not buildable.
import * as path from "node:path";
import { go } from "../goCommand";
import { log } from "../toolchainLog";
import { postgresqlPseudoVersion } from "../versions";
import { newWrapper } from "../wrapper";
import { cached, type ToolchainPart } from "./part";

const PROBE_MODULE = "spark-platform/toolchain/probe";
/** minio's upstream, at the version @pulumi/minio 0.17 wraps. */
const MINIO_UPSTREAM = "github.com/aminueza/terraform-provider-minio@v1.20.1";

/** Is `modAtVersion` served? (`go mod download` in a fresh probe module under work/.) */
async function served(
  work: string,
  goVersion: string,
  env: NodeJS.ProcessEnv,
  modAtVersion: string,
): Promise<boolean> {
  newWrapper(work, PROBE_MODULE, goVersion);
  try {
    await go(["mod", "download", modAtVersion], { cwd: work, env });
    return true;
  } catch {
    return false;
  }
}

export const postgresql: ToolchainPart = {
  name: "postgresql",
  async build({ layout, env }) {
    if (cached("postgresql", path.join(layout.postgresqlDir, "pulumi-resource-postgresql"))) {
      return true;
    }
    const pseudo = postgresqlPseudoVersion(layout.postgresqlVersion);
    if (!pseudo) {
      log(`postgresql: no known module version for @pulumi/postgresql ${layout.postgresqlVersion}`);
      return false;
    }
    // pulumi-postgresql/provider/v3 replaces its Terraform provider with ../upstream
    // (github.com/terraform-providers/terraform-provider-postgresql, module line renamed).
    // Both must come from the proxy; at present it refuses both.
    const mod = `github.com/pulumi/pulumi-postgresql/provider/v3@${pseudo}`;
    if (!(await served(path.join(layout.workDir, "probe-postgresql"), "1.26", env, mod))) {
      log(`postgresql: ${mod} is not served by the Go module proxy: not buildable here`);
      return false;
    }
    log("postgresql: provider module is served now; a build recipe still has to be written");
    return false;
  },
};

export const minioProvider: ToolchainPart = {
  name: "minio-provider",
  async build({ layout, env }) {
    if (cached("minio-provider", path.join(layout.minioProviderDir, "pulumi-resource-minio"))) {
      return true;
    }
    // github.com/pulumi/pulumi-minio/provider has no module tags and wraps
    // github.com/aminueza/terraform-provider-minio; the proxy refuses both.
    const work = path.join(layout.workDir, "probe-minio");
    if (!(await served(work, "1.25.11", env, MINIO_UPSTREAM))) {
      log(`minio-provider: upstream ${MINIO_UPSTREAM} is not served: not buildable here`);
      return false;
    }
    log("minio-provider: upstream is served now; a build recipe still has to be written");
    return false;
  },
};
