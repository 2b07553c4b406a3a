import { expect } from "chai";
import { parseExports } from "../../../tools/engine/localCluster";
import { coreDns, infraServices, probePod } from "../../../cluster/addons";
import { components } from "../../../cluster/node/processCommands";
import { envExports, shellQuote } from "../../../cluster/commands/envCommand";
import { layout } from "../../../cluster/clusterLayout";
import { missingPackages, kernelProblems } from "../../../cluster/hostPrerequisites";
import { statStartTime, wrap } from "../../../cluster/node/procs";
import { withClusterHba } from "../../../cluster/services";
import { fullyQualified, ociDocuments } from "../../../cluster/testimages";

const l = layout({ SPARK_PLATFORM_CACHE_DIR: "/cache" });

describe("cluster: runtime pieces", () => {
  it("keeps everything under <cache>/cluster", () => {
    expect(l.adminKubeconfig).to.equal("/cache/cluster/state/pki/admin.kubeconfig");
    expect(layout({ HOME: "/home/u" }).clusterDir).to.equal(
      "/home/u/.cache/spark-platform/cluster",
    );
  });

  it("control-plane processes run in the node netns; kubelet shares the host's mounts", () => {
    const all = components({
      l,
      bin: (n) => `/bin/${n}`,
      files: {
        kubeletConfig: "/k.yaml",
        kubeProxyConfig: "/p.yaml",
        kubeconfig: (u) => `/kc/${u}`,
      },
    });
    const by = (n: string) => all.find((c) => c.name === n)!;
    expect(all.filter((c) => c.where === "host")).to.deep.equal([]);
    expect(wrap(by("etcd").where, ["x"])).to.deep.equal(["ip", "netns", "exec", "spark-node", "x"]);
    expect(wrap(by("kubelet").where, ["x"])).to.deep.equal([
      "nsenter",
      "--net=/run/netns/spark-node",
      "--",
      "x",
    ]);
    expect(by("kube-apiserver").argv).to.include.members([
      "--advertise-address=10.201.0.2",
      "--service-cluster-ip-range=10.96.0.0/16",
    ]);
    expect(by("kube-controller-manager").argv).to.include(
      "--cluster-signing-key-file=/cache/cluster/state/pki/ca.key",
    );
    expect(by("kube-router").argv).to.include.members([
      "--run-firewall=true",
      "--run-router=false",
      "--run-service-proxy=false",
    ]);
    expect(by("etcd").argv).to.include("--listen-client-urls=http://127.0.0.1:2379");
  });

  it("CoreDNS is served as kube-dns on 10.96.0.10:53 by a non-root pod", () => {
    const objs = coreDns("img:1") as { kind: string; spec?: Record<string, unknown> }[];
    const svc = objs.find((o) => o.kind === "Service")!;
    expect(svc.spec).to.include({ clusterIP: "10.96.0.10" });
    const dep = JSON.stringify(objs.find((o) => o.kind === "Deployment"));
    expect(dep)
      .to.contain('"runAsNonRoot":true')
      .and.contain('"imagePullPolicy":"Never"')
      .and.contain("ip_unprivileged_port_start");
  });

  it("spark-infra Services are selector-less with EndpointSlices at the host's veth address", () => {
    const objs = infraServices() as {
      kind: string;
      metadata: { name: string; labels?: Record<string, string> };
      endpoints?: { addresses: string[] }[];
      spec?: Record<string, unknown>;
    }[];
    const slices = objs.filter((o) => o.kind === "EndpointSlice");
    expect(slices.map((s) => s.metadata.labels!["kubernetes.io/service-name"])).to.deep.equal([
      "postgresql",
      "minio",
      "maven-mirror",
    ]);
    expect(slices.every((s) => s.endpoints![0]!.addresses[0] === "10.201.0.1")).to.equal(true);
    expect(
      objs.filter((o) => o.kind === "Service").every((s) => !("selector" in s.spec!)),
    ).to.equal(true);
    expect(JSON.stringify(probePod("p", ["dns", "x"]))).to.contain('"restartPolicy":"Never"');
  });

  it("env prints single-quoted literal exports the engine harness parses back", () => {
    expect(shellQuote("it's")).to.equal(`'it'\\''s'`);
    const vars = parseExports(envExports(l, "/usr/bin:/bin").join("\n"));
    expect(vars.KUBECONFIG).to.equal(undefined); // no PKI yet under /cache: left out, not invented
    expect(vars.PATH).to.equal("/cache/cluster/bin/kubernetes-v1.34.4:/usr/bin:/bin");
    expect(vars).to.include({
      PGHOST: "10.201.0.1",
      PGPORT: "5432",
      SPARK_PLATFORM_MINIO_ENDPOINT: "http://10.201.0.1:9000",
    });
    expect(vars.SPARK_PLATFORM_MAVEN_MIRROR_DIR).to.equal("/cache/cluster/maven-mirror");
    const npmPath =
      "/r/node_modules/.bin:/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin:/usr/bin";
    expect(parseExports(envExports(l, npmPath).join("\n")).PATH).to.equal(
      "/cache/cluster/bin/kubernetes-v1.34.4:/usr/bin",
    );
  });

  it("pg_hba gets the node link and pod range once", () => {
    const once = withClusterHba("local all all scram-sha-256\n");
    expect(once)
      .to.contain("host all all 10.201.0.0/30 scram-sha-256\n")
      .and.contain("host all all 10.244.0.0/24 scram-sha-256\n");
    expect(withClusterHba(once)).to.equal(once);
  });

  it("reads dpkg status, kernel config and /proc/<pid>/stat start times", () => {
    const dpkg =
      "containerd install ok installed\nipset deinstall ok config-files\nrunc install ok installed\n";
    expect(missingPackages(dpkg, ["containerd", "runc", "ipset", "conntrack"])).to.deep.equal([
      "ipset",
      "conntrack",
    ]);
    expect(kernelProblems("CONFIG_BRIDGE=y\nCONFIG_VETH=m\n# CONFIG_IP_SET is not set\n"))
      .to.include("CONFIG_IP_SET")
      .and.not.include("CONFIG_VETH");
    const stat =
      "4242 (kube apiserver) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 12 0 987654 1000 10";
    expect(statStartTime(stat)).to.equal("987654");
  });

  it("one-binary images name themselves for containerd and hash consistently", () => {
    expect(fullyQualified("pause:1")).to.equal("docker.io/library/pause:1");
    expect(fullyQualified("localhost/spark-platform/probe:v1")).to.equal(
      "localhost/spark-platform/probe:v1",
    );
    const d = ociDocuments({ ref: "localhost/x/probe:v1", target: "/probe" }, "sha256:aa", 10);
    const index = JSON.parse(d.index) as {
      manifests: { digest: string; annotations: Record<string, string> }[];
    };
    expect(index.manifests[0]!.digest).to.equal(d.manifestDigest);
    expect(index.manifests[0]!.annotations["io.containerd.image.name"]).to.equal(
      "localhost/x/probe:v1",
    );
    expect(JSON.parse(d.config).config.Entrypoint).to.deep.equal(["/probe"]);
  });
});
