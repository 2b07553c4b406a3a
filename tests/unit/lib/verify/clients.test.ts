import { expect } from "chai";
import {
  clientAdmissionPolicy,
  clientAdmissionPolicyBinding,
} from "../../../../components/spark-release/clientAdmissionPolicy";
import {
  networkPolicyList,
  releaseNetworkPolicies,
} from "../../../../components/spark-release/networkPolicies";
import { releaseMetadata, type KubeManifest } from "../../../../lib/kube/objects";
import { clientAccess, clientAdmissionGaps, openClientPeers } from "../../../../lib/verify/clients";
import { clusterObjects } from "../../../../lib/verify/objects";
import { failures, type CheckResult } from "../../../../lib/verify/result";
import { verifyObjects } from "../../../../lib/verify/run";
import { withClients } from "../../../support/clientConfig";
import { parseValid } from "../../../support/stacks";
import { editableManifests, find, type Loose } from "../../../support/verifier";

const failing = (results: readonly CheckResult[]) =>
  failures(results).map((r) => `${r.subject}: ${r.detail}`);
const rowsOf = (manifests: readonly KubeManifest[]) => clientAccess(clusterObjects(manifests));

const OPEN_PEER = {
  namespaceSelector: {},
  podSelector: { matchLabels: { "spark-platform.io/client-of": "spark-35" } },
};

describe("verifier: client access (network peers and admission)", () => {
  for (const stack of ["dev", "prod"] as const) {
    it(`passes the rendered ${stack} stack, naming the granted namespaces and the refusing policy`, async () => {
      const rows = rowsOf(await editableManifests(stack));
      expect(failing(rows)).to.deep.equal([]);
      const ns = stack === "dev" ? "spark" : "spark-35";
      expect(rows.map((r) => `${r.subject}: ${r.detail}`)).to.include.members([
        "release spark-35: network: client pods only from namespaces team-pipelines, airflow, each named",
        `release spark-35: admission: client pods outside team-pipelines, airflow refused by ValidatingAdmissionPolicy spark-35-clients.${ns} (binding spark-35-clients.${ns})`,
      ]);
      expect(rows.every((r) => r.check === "client-access")).to.equal(true);
    });
  }

  it("the verifier runs it with its other checks", async () => {
    const manifests = await editableManifests("dev");
    const checks = verifyObjects(clusterObjects(manifests)).map((r) => r.check);
    expect(checks.filter((c) => c === "client-access")).to.have.length(4);
  });

  describe("negative controls: each fails when its rule is broken", () => {
    it("an allow-clients peer in every namespace (namespaceSelector: {}) fails the network row", async () => {
      const manifests = await editableManifests("prod");
      const policy = find(manifests, "NetworkPolicy", "spark-35-allow-clients");
      policy.spec.ingress[0].from = [OPEN_PEER];
      expect(failing(openClientPeers(clusterObjects(manifests)))).to.deep.equal([
        "release spark-35: network: NetworkPolicy/spark-35/spark-35-allow-clients admits pods spark-platform.io/client-of=spark-35 of every namespace (namespaceSelector: {}); grant client namespaces by name (spark-platform:releases[].clients)",
      ]);
    });

    it("any other peer in every namespace fails too (no namespaceSelector: {} anywhere)", async () => {
      const manifests = await editableManifests("prod");
      const dns = find(manifests, "NetworkPolicy", "spark-41-allow-dns");
      dns.spec.egress[0].to[0].namespaceSelector = {};
      expect(failing(openClientPeers(clusterObjects(manifests)))).to.have.length(1);
      expect(failing(openClientPeers(clusterObjects(manifests)))[0]).to.match(
        /^release spark-41: network: NetworkPolicy\/spark-41\/spark-41-allow-dns admits pods of every namespace/,
      );
    });

    it("a namespace-less client peer (the release's own namespace, unnamed) fails the network row", async () => {
      const manifests = await editableManifests("dev");
      const policy = find(manifests, "NetworkPolicy", "spark-41-allow-clients");
      delete policy.spec.ingress[0].from[0].namespaceSelector;
      expect(failing(openClientPeers(clusterObjects(manifests)))).to.deep.equal([
        "release spark-41: network: NetworkPolicy/spark/spark-41-allow-clients admits pods spark-platform.io/client-of=spark-41 of its namespace spark without naming it: any pod labelled there is a client; grant client namespaces by name (spark-platform:releases[].clients)",
      ]);
    });

    it("a client peer choosing namespaces by another label fails the network row", async () => {
      const manifests = await editableManifests("dev");
      const policy = find(manifests, "NetworkPolicy", "spark-41-allow-clients");
      policy.spec.ingress[0].from[0].namespaceSelector = { matchLabels: { team: "data" } };
      expect(failing(openClientPeers(clusterObjects(manifests)))[0]).to.include(
        "of namespaces chosen by labels, not by kubernetes.io/metadata.name",
      );
    });

    it("a release with clients but no client admission policy fails the admission row, naming the release", async () => {
      const manifests = (await editableManifests("prod")).filter(
        (m: Loose) => m.metadata?.name !== "spark-41-clients.spark-41",
      );
      expect(failing(clientAdmissionGaps(clusterObjects(manifests)))).to.deep.equal([
        "release spark-41: admission: release spark-41 admits client pods from team-data-science, airflow (NetworkPolicy/spark-41/spark-41-allow-clients), but no ValidatingAdmissionPolicy with a Deny binding refuses its client label where it is not granted: CREATE of a pod labelled spark-platform.io/client-of=spark-41 in ungranted namespace verify-ungranted is admitted; UPDATE of a pod labelled spark-platform.io/client-of=spark-41 in ungranted namespace verify-ungranted is admitted",
      ]);
    });

    it("a policy that only warns, or checks CREATE only, leaves a gap", async () => {
      const warning = await editableManifests("prod");
      find(
        warning,
        "ValidatingAdmissionPolicyBinding",
        "spark-35-clients.spark-35",
      ).spec.validationActions = ["Warn"];
      expect(failing(clientAdmissionGaps(clusterObjects(warning)))).to.have.length(1);

      const createOnly = await editableManifests("prod");
      find(
        createOnly,
        "ValidatingAdmissionPolicy",
        "spark-35-clients.spark-35",
      ).spec.matchConstraints.resourceRules[0].operations = ["CREATE"];
      const [gap] = failing(clientAdmissionGaps(clusterObjects(createOnly)));
      expect(gap).to.include("UPDATE of a pod labelled spark-platform.io/client-of=spark-35");
      expect(gap).to.not.include("CREATE of a pod");
    });

    it("shared namespace granted: a policy that does not check ServiceAccounts there leaves a gap", () => {
      const config = parseValid(
        withClients([{ namespace: "spark", serviceAccounts: ["notebook"] }], []),
      );
      const spark35 = config.releases[0]!;
      const policy = clientAdmissionPolicy(spark35);
      const manifests = (withAccountRule: boolean): KubeManifest[] => [
        // The release's objects: what tells the verifier spark is spark-35's own namespace.
        {
          apiVersion: "v1",
          kind: "ServiceAccount",
          metadata: releaseMetadata(spark35, "spark", "spark-35-spark", "test"),
        },
        ...networkPolicyList(releaseNetworkPolicies(config, spark35)),
        withAccountRule
          ? policy
          : {
              ...policy,
              spec: { ...policy.spec, validations: policy.spec!.validations!.slice(0, 1) },
            },
        clientAdmissionPolicyBinding(spark35),
      ];
      expect(failing(clientAdmissionGaps(clusterObjects(manifests(true))))).to.deep.equal([]);
      const [gap] = failing(clientAdmissionGaps(clusterObjects(manifests(false))));
      expect(gap).to.include(
        "CREATE of a pod labelled spark-platform.io/client-of=spark-35 in its own namespace spark under an ungranted ServiceAccount is admitted",
      );
    });
  });
});
