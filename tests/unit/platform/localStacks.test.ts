import { expect } from "chai";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import { addFootprints, fitsCapacity, stackFootprint } from "../../../tools/footprint/footprint";
import { ofKind, renderStack, type RenderedStack } from "../../support/stacks";

/**
 * What a single local node can give the platform: 2 CPUs and this machine's memory, less
 * what the local cluster's kubelet reserves for the control plane and CoreDNS's request.
 * Kept here as the contract the local stacks are sized against.
 */
const LOCAL_NODE_FOR_PLATFORM = { cpuMilli: 2000 - 500 - 100, memoryMiB: 12 * 1024 };

const EXPECTED = {
  local: { namespaces: ["spark"], enforce: "baseline", protect: false },
  "local-prod": { namespaces: ["spark-35", "spark-41"], enforce: "restricted", protect: true },
} as const;

for (const stack of ["local", "local-prod"] as const) {
  describe(`stack ${stack}: fits one 2-CPU local node`, () => {
    let rendered: RenderedStack;
    before(async () => {
      rendered = await renderStack(stack);
    });

    it(`layout: namespaces ${EXPECTED[stack].namespaces.join(", ")}, Pod Security enforce ${EXPECTED[stack].enforce}`, () => {
      const namespaces = ofKind<INamespace>(rendered.manifests, "Namespace");
      expect(namespaces.map((n) => n.metadata?.name).sort()).to.deep.equal([
        ...EXPECTED[stack].namespaces,
      ]);
      for (const namespace of namespaces) {
        expect(namespace.metadata?.labels?.["pod-security.kubernetes.io/enforce"]).to.equal(
          EXPECTED[stack].enforce,
        );
      }
      expect(rendered.config.protectData).to.equal(EXPECTED[stack].protect);
    });

    it("steady requests plus every schema-init Job at once fit the node", () => {
      const footprint = stackFootprint(rendered.config, rendered.manifests);
      const peak = addFootprints(footprint.steadyTotal, footprint.transientTotal);
      expect(
        fitsCapacity(peak, LOCAL_NODE_FOR_PLATFORM),
        `requests ${peak.cpuRequestMilli}m CPU / ${peak.memoryRequestMiB} MiB`,
      ).to.equal(true);
    });

    it("pods use in-cluster names; the engine uses the host address; egress admits only it", () => {
      const { postgres, objectStore } = rendered.config;
      expect(postgres.host).to.equal("postgresql.spark-infra.svc");
      expect(postgres.admin.host).to.equal("10.201.0.1");
      expect(objectStore.host).to.equal("minio.spark-infra.svc");
      expect(objectStore.admin.host).to.equal("10.201.0.1");
      expect(postgres.egressCidrs).to.deep.equal(["10.201.0.1/32"]);
      expect(objectStore.egressCidrs).to.deep.equal(["10.201.0.1/32"]);
      expect(rendered.config.kubernetes.renderYamlToDirectory).to.equal(undefined);
    });
  });
}

describe("local stacks: client grants", () => {
  it("both grant the same clients: on one cluster a client pod must pass both stacks' policies", async () => {
    const grants = async (stack: "local" | "local-prod") =>
      (await renderStack(stack)).config.releases.map((r) => [r.name, r.clients]);
    expect(await grants("local")).to.deep.equal(await grants("local-prod"));
  });

  it("create no client namespace: the live suite creates them and their ServiceAccounts, as teams would", async () => {
    for (const stack of ["local", "local-prod"] as const) {
      const { config } = await renderStack(stack);
      const clients = config.releases.flatMap((r) => r.clients);
      expect(clients.length, stack).to.be.greaterThan(0);
      expect(
        clients.filter((c) => c.createNamespace),
        stack,
      ).to.deep.equal([]);
    }
  });
});
