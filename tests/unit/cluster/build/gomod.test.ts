import { expect } from "chai";
import {
  goDirective,
  kubernetesLdflags,
  kubernetesWrapperGoMod,
  requirements,
  stagingModules,
} from "../../../../cluster/build/gomod";

const UPSTREAM = `module k8s.io/kubernetes

go 1.24.0

godebug default=go1.24

require (
\tgithub.com/spf13/cobra v1.9.1
\tk8s.io/api v0.0.0
\tk8s.io/client-go v0.0.0 // indirect
)

require golang.org/x/sys v0.31.0

replace (
\tk8s.io/api => ./staging/src/k8s.io/api
\tk8s.io/client-go => ./staging/src/k8s.io/client-go
)
`;

describe("cluster: Go wrapper modules", () => {
  it("finds the staging modules and the requirements of upstream's go.mod", () => {
    expect(stagingModules(UPSTREAM)).to.deep.equal(["k8s.io/api", "k8s.io/client-go"]);
    expect(requirements(UPSTREAM).map((r) => `${r.path}@${r.version}`)).to.deep.equal([
      "github.com/spf13/cobra@v1.9.1",
      "k8s.io/api@v0.0.0",
      "k8s.io/client-go@v0.0.0",
      "golang.org/x/sys@v0.31.0",
    ]);
    expect(goDirective(UPSTREAM)).to.equal("1.24.0");
  });

  it("the kubernetes wrapper requires upstream's pins and replaces staging with published versions", () => {
    const mod = kubernetesWrapperGoMod({
      version: "v1.34.4",
      stagingVersion: "v0.34.4",
      upstreamGoMod: UPSTREAM,
    });
    expect(mod).to.match(/^module spark-platform\/cluster\/kubernetes$/m);
    expect(mod).to.contain("\tk8s.io/kubernetes v1.34.4\n");
    expect(mod).to.contain("\tgithub.com/spf13/cobra v1.9.1\n");
    expect(mod).to.not.contain("k8s.io/api v0.0.0");
    expect(mod).to.contain("\tk8s.io/api => k8s.io/api v0.34.4\n");
    expect(mod).to.contain("\tk8s.io/client-go => k8s.io/client-go v0.34.4\n");
    expect(() =>
      kubernetesWrapperGoMod({ version: "v1", stagingVersion: "v0", upstreamGoMod: "module x\n" }),
    ).to.throw(/no staging/);
  });

  it("stamps the version the binaries report", () => {
    const f = kubernetesLdflags("v1.34.4");
    expect(f).to.contain("-X k8s.io/component-base/version.gitVersion=v1.34.4");
    expect(f).to.contain("-X k8s.io/component-base/version.gitMinor=34");
    expect(() => kubernetesLdflags("1.34")).to.throw(/not a Kubernetes version/);
  });
});
