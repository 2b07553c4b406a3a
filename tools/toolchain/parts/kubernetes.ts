// The kubernetes provider plugin: provider/v4 at the pseudo-version of the @pulumi/kubernetes
// release commit, in a wrapper with the provider's own go.mod/go.sum, its main package
// generated (kubernetesSchema.ts).
import * as path from "node:path";
import { go, ownSumsEnv } from "../goCommand";
import { log } from "../toolchainLog";
import { K8S_DEFAULT_VERSION, k8sPseudoVersion } from "../versions";
import { freshDir, installBinary, wrapperFromModule } from "../wrapper";
import { generateMainPackage } from "./kubernetesSchema";
import { cached, type ToolchainPart } from "./part";

const MODULE = "github.com/pulumi/pulumi-kubernetes/provider/v4";
const SDK = "github.com/pulumi/pulumi-kubernetes/sdk/v4";

/** provider/go.mod replaces sdk/v4 => ../sdk: require the sdk tag instead. */
export function sdkEditArgs(version: string): string[] {
  return ["mod", "edit", "-dropreplace", SDK, "-require", `${SDK}@v${version}`];
}

export function providerBuildArgs(version: string, out: string): string[] {
  return [
    "build",
    "-ldflags",
    `-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=${version}`,
    "-o",
    out,
    ".",
  ];
}

export const kubernetes: ToolchainPart = {
  name: "kubernetes",
  async build({ layout, env }) {
    const bin = path.join(layout.k8sDir, "pulumi-resource-kubernetes");
    if (cached("kubernetes", bin)) return true;
    const version = layout.k8sVersion;
    const pseudo = k8sPseudoVersion(version);
    if (!pseudo) {
      log(`kubernetes: @pulumi/kubernetes ${version} cannot be built here: the proxy serves`);
      log(
        `kubernetes: ${MODULE} only at the ${K8S_DEFAULT_VERSION} commit; pin @pulumi/kubernetes ${K8S_DEFAULT_VERSION}`,
      );
      return false;
    }
    const work = path.join(layout.workDir, `pulumi-resource-kubernetes-v${version}`);
    freshDir(work);
    // The sum database reachable here lacks this pseudo-version and several of its
    // dependencies: the provider's own go.sum (from the module zip) vouches for those.
    const o = { cwd: work, env: ownSumsEnv(env, "github.com/pulumi/pulumi-kubernetes") };
    const dir = await wrapperFromModule(
      o,
      MODULE,
      pseudo,
      "spark-platform/toolchain/pulumi-resource-kubernetes",
    );
    await go(sdkEditArgs(version), o);
    await generateMainPackage(o, dir, version);
    await go(providerBuildArgs(version, path.join(work, "pulumi-resource-kubernetes")), o);
    installBinary(
      path.join(work, "pulumi-resource-kubernetes"),
      layout.k8sDir,
      "pulumi-resource-kubernetes",
    );
    return true;
  },
};
