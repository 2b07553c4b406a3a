import { expect } from "chai";
import { coreDns, infraServices, probePod } from "../../../cluster/addons";
import { clusterNode, FIRST_NODE } from "../../../cluster/node/clusterNode";

describe("cluster: objects applied after the API server is up", () => {
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
    expect(JSON.stringify(probePod("p", ["dns", "x"], FIRST_NODE))).to.contain(
      '"restartPolicy":"Never"',
    );
  });

  it("pins each node's probe pod to that node under a name of its own", () => {
    const first = probePod("p", [], FIRST_NODE) as {
      metadata: { name: string };
      spec: { nodeSelector: Record<string, string> };
    };
    const second = probePod("p", [], clusterNode(2)) as typeof first;
    expect(first.metadata.name).to.equal("spark-cluster-probe");
    expect(first.spec.nodeSelector).to.deep.equal({ "kubernetes.io/hostname": "spark-node" });
    expect(second.metadata.name).to.equal("spark-cluster-probe-spark-node-2");
    expect(second.spec.nodeSelector).to.deep.equal({ "kubernetes.io/hostname": "spark-node-2" });
  });
});
