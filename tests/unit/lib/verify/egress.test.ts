import { expect } from "chai";
import { RELEASE_LABEL, type KubeManifest } from "../../../../lib/kube/objects";
import { egressDestinations } from "../../../../lib/verify/egress";
import { failures } from "../../../../lib/verify/result";
import { editableManifests, objectsOf, type Loose } from "../../../support/verifier";

const rows = (manifests: readonly KubeManifest[]) => egressDestinations(objectsOf(manifests));

describe("lib/verify/egress: network-egress rows", () => {
  it("one row per egress policy of the dev stack, warnings only where a destination is open", async () => {
    const manifests = await editableManifests("dev");
    const egress = rows(manifests);
    const egressPolicies = manifests.filter(
      (m) => m.kind === "NetworkPolicy" && (m as Loose).spec.egress?.length,
    );
    expect(egress.map((r) => r.subject)).to.have.members(
      egressPolicies.map((m) => `NetworkPolicy/spark/${m.metadata!.name}`),
    );
    expect(failures(egress)).to.deep.equal([]);
    const dns = egress.find((r) => r.subject === "NetworkPolicy/spark/spark-41-allow-dns")!;
    expect(dns.warning).to.equal(undefined);
    expect(dns.detail).to.equal(
      "egress to pods k8s-app=kube-dns in namespaces kubernetes.io/metadata.name=kube-system on 53/UDP, 53/TCP",
    );
    expect(egress.find((r) => r.subject.endsWith("spark-41-allow-kube-api"))!.warning).to.include(
      "kubernetes.apiServerCidrs",
    );
  });

  it("warns on a /0 ipBlock and on every pod of every namespace; fails a policy without release", () => {
    const policy = (name: string, to: object[], labels?: Record<string, string>): KubeManifest =>
      ({
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name, namespace: "spark", labels: labels ?? { [RELEASE_LABEL]: "spark-41" } },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [{ to, ports: [{ port: 443 }] }],
        },
      }) as KubeManifest;
    const results = rows([
      policy("spark-41-anywhere", [{ ipBlock: { cidr: "0.0.0.0/0" } }]),
      policy("spark-41-everything", [{ namespaceSelector: {}, podSelector: {} }]),
      policy("spark-41-narrow", [{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] } }]),
      policy("stray", [{ podSelector: { matchLabels: { app: "x" } } }], {}),
    ]);
    expect(results.map((r) => [r.subject, r.pass, r.warning ?? ""])).to.deep.equal([
      ["NetworkPolicy/spark/spark-41-anywhere", true, "destination open: 0.0.0.0/0 on 443/TCP"],
      [
        "NetworkPolicy/spark/spark-41-everything",
        true,
        "destination open: every pod in every namespace on 443/TCP",
      ],
      ["NetworkPolicy/spark/spark-41-narrow", true, ""],
      ["NetworkPolicy/spark/stray", false, ""],
    ]);
    expect(results[2]!.detail).to.equal("egress to 10.0.0.0/8 except 10.1.0.0/16 on 443/TCP");
  });
});
