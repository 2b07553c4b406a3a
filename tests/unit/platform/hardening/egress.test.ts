import { expect } from "chai";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { CLUSTER_NET, CONTROL_PLANE_NODE } from "../../../../cluster/addressPlan";
import {
  CLUSTER_DNS,
  networkPolicyList,
  releaseNetworkPolicies,
} from "../../../../components/spark-release/networkPolicies";
import { NetworkModel, type Endpoint } from "../../../../lib/kube/analysis/networkPolicy";
import { parsePlatformConfig } from "../../../../lib/config/parse";
import { releaseLabels, type KubeManifest } from "../../../../lib/kube/objects";
import { egressDestinations } from "../../../../lib/verify/egress";
import { clusterObjects } from "../../../../lib/verify/objects";
import { baseValues, parseValid, rawConfig, renderStack } from "../../../support/stacks";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const API_CIDRS = ["10.201.0.2/32", "10.96.0.1/32"];

function configWith(extra: Record<string, unknown>) {
  return parseValid(rawConfig({ ...baseValues(), jars: { source: "image" }, ...extra }));
}

function policiesOf(extra: Record<string, unknown>, release = "spark-41"): INetworkPolicy[] {
  const config = configWith(extra);
  return networkPolicyList(
    releaseNetworkPolicies(config, config.releases.find((r) => r.name === release)!),
  );
}

const named = (policies: INetworkPolicy[], suffix: string) =>
  policies.find((p) => p.metadata?.name?.endsWith(suffix));

const rows = (manifests: readonly KubeManifest[]) => egressDestinations(clusterObjects(manifests));

const pod = (namespace: string, labels: Record<string, string>): Endpoint => ({
  namespace,
  labels,
});

describe("hardening: every egress rule narrowed to what it exists for", () => {
  describe("DNS", () => {
    it("goes to the CoreDNS pods of kube-system only, on 53/UDP and 53/TCP", () => {
      for (const release of ["spark-35", "spark-41"]) {
        const dns = named(policiesOf({}, release), "-allow-dns")!;
        expect(dns.spec?.egress).to.deep.equal([
          {
            to: [
              {
                namespaceSelector: {
                  matchLabels: { "kubernetes.io/metadata.name": "kube-system" },
                },
                podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
              },
            ],
            ports: [
              { protocol: "UDP", port: 53 },
              { protocol: "TCP", port: 53 },
            ],
          },
        ]);
      }
    });

    it("a release pod reaches CoreDNS on 53 and nothing else in kube-system", () => {
      const config = configWith({});
      const manifests = config.releases.flatMap((r) =>
        networkPolicyList(releaseNetworkPolicies(config, r)),
      );
      const model = new NetworkModel(manifests);
      const release = config.releases.find((r) => r.name === "spark-41")!;
      const executor = pod("spark", releaseLabels(release, "executor"));
      const coredns = pod(CLUSTER_DNS.namespace, { ...CLUSTER_DNS.podLabels });
      const apiServer = pod("kube-system", { component: "kube-apiserver", tier: "control-plane" });
      expect(model.canReach(executor, coredns, 53, "UDP")).to.equal(true);
      expect(model.canReach(executor, coredns, 53, "TCP")).to.equal(true);
      expect(model.canReach(executor, coredns, 9153)).to.equal(false);
      // Before: any kube-system pod on 53 (a namespace peer alone).
      expect(model.canReach(executor, apiServer, 53, "UDP")).to.equal(false);
      // Another namespace's pod labelled like CoreDNS is not DNS.
      expect(
        model.canReach(executor, pod("spark-infra", { ...CLUSTER_DNS.podLabels }), 53, "UDP"),
      ).to.equal(false);
    });
  });

  describe("Kubernetes API (Connect server)", () => {
    it("with kubernetes.apiServerCidrs, only those addresses, on the API ports", () => {
      const kubeApi = named(
        policiesOf({ kubernetes: { apiServerCidrs: API_CIDRS } }),
        "-allow-kube-api",
      )!;
      expect(kubeApi.spec?.podSelector?.matchExpressions).to.deep.equal([
        { key: "app.kubernetes.io/component", operator: "In", values: ["connect"] },
      ]);
      expect(kubeApi.spec?.egress).to.deep.equal([
        {
          to: API_CIDRS.map((cidr) => ({ ipBlock: { cidr } })),
          ports: [
            { protocol: "TCP", port: 443 },
            { protocol: "TCP", port: 6443 },
          ],
        },
      ]);
    });

    it("without it, any address on the API ports: the verifier warns, naming the key", () => {
      const kubeApi = named(policiesOf({}), "-allow-kube-api")!;
      expect(kubeApi.spec?.egress?.[0]).to.not.have.property("to");
      const [row] = rows([kubeApi as KubeManifest]);
      expect(row!.pass).to.equal(true);
      expect(row!.warning).to.equal(
        "destination open: any address on 443/TCP, 6443/TCP; set spark-platform:kubernetes.apiServerCidrs",
      );
    });

    it("the standalone release has no API egress at all", () => {
      expect(named(policiesOf({}, "spark-35"), "-allow-kube-api")).to.equal(undefined);
    });

    it("refuses malformed or empty apiServerCidrs, naming the key", () => {
      for (const apiServerCidrs of [["10.201.0.2"], []]) {
        const result = parsePlatformConfig(
          rawConfig({ ...baseValues(), kubernetes: { apiServerCidrs } }),
        );
        expect(result.ok, JSON.stringify(apiServerCidrs)).to.equal(false);
        if (!result.ok) {
          expect(result.issues.map((i) => i.key).join(" ")).to.include("kubernetes.apiServerCidrs");
        }
      }
    });

    for (const stack of ["local", "local-prod"] as const) {
      it(`the ${stack} stack names the local cluster's API endpoint and kubernetes Service`, async () => {
        const rendered = await renderStack(stack);
        expect(rendered.config.kubernetes.apiServerCidrs).to.deep.equal([
          `${CONTROL_PLANE_NODE.nodeIp}/32`,
          `${CLUSTER_NET.kubernetesServiceIp}/32`,
        ]);
        const kubeApi = rendered.manifests.find(
          (m) => m.metadata?.name === "spark-41-allow-kube-api",
        ) as Loose;
        expect(kubeApi.spec.egress[0].to).to.have.length(2);
        // Every egress rule of the local stacks is narrowed: no warning at all.
        expect(rows(rendered.manifests).filter((r) => r.warning)).to.deep.equal([]);
      });
    }
  });

  describe("object store and PostgreSQL", () => {
    it("egressCidrs, an in-cluster Service's namespace or an IP narrow them; a DNS name warns", () => {
      const narrowed = policiesOf({
        objectStore: { ...(baseValues()["objectStore"] as object), egressCidrs: ["10.201.0.1/32"] },
      });
      expect(named(narrowed, "-allow-object-store")!.spec?.egress?.[0]?.to).to.deep.equal([
        { ipBlock: { cidr: "10.201.0.1/32" } },
      ]);
      const external = policiesOf({
        objectStore: { endpoint: "https://s3.eu-west-1.amazonaws.com", bucket: "spark-logs" },
        postgres: { ...(baseValues()["postgres"] as object), host: "db.example.com" },
      });
      const warned = rows(external as KubeManifest[]).filter((r) => r.warning);
      expect(warned.map((r) => `${r.subject}: ${r.warning}`)).to.have.members([
        "NetworkPolicy/spark/spark-41-allow-object-store: destination open: any address on 443/TCP; set spark-platform:objectStore.egressCidrs",
        "NetworkPolicy/spark/spark-41-allow-postgres: destination open: any address on 5432/TCP; set spark-platform:postgres.egressCidrs",
        "NetworkPolicy/spark/spark-41-allow-kube-api: destination open: any address on 443/TCP, 6443/TCP; set spark-platform:kubernetes.apiServerCidrs",
      ]);
    });
  });
});
