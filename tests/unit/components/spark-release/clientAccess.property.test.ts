// Properties of client access over generated client lists: whatever the platform team
// grants, the rendered allow-clients policy lets a labelled pod in from exactly the listed
// namespaces (NetworkModel), and the client admission policy admits exactly the listed
// (namespace, ServiceAccount) pairs (the admission model, evaluating its CEL).
import { expect } from "chai";
import fc from "fast-check";
import {
  clientAdmissionPolicy,
  clientAdmissionPolicyBinding,
} from "../../../../components/spark-release/clientAdmissionPolicy";
import {
  networkPolicyList,
  releaseNetworkPolicies,
} from "../../../../components/spark-release/networkPolicies";
import type { ClientGrant, ReleaseConfig } from "../../../../lib/config/model";
import { clientPodRequest } from "../../../../lib/kube/analysis/clientAdmission";
import { NetworkModel } from "../../../../lib/kube/analysis/networkPolicy";
import { admissionOutcome } from "../../../../lib/kube/analysis/validatingAdmission";
import { CLIENT_LABEL, releaseLabels } from "../../../../lib/kube/objects";
import { PORTS } from "../../../../lib/naming/names";
import { PER_RELEASE, withClients } from "../../../support/clientConfig";
import { parseValid } from "../../../support/stacks";

const RUNS = { numRuns: 40 };
const NAMESPACES = ["airflow", "team-a", "team-b", "notebooks", "etl"];
const ACCOUNTS = ["default", "worker", "scheduler", "runner"];
/** Every namespace a pod could be in: the pool, both release namespaces, one never listed. */
const EVERYWHERE = [...NAMESPACES, "spark-35", "spark-41", "elsewhere"];

/** A client entry: a namespace, and maybe a non-empty list of distinct accounts. */
const entry = (namespace: string) =>
  fc
    .option(fc.uniqueArray(fc.constantFrom(...ACCOUNTS), { minLength: 1, maxLength: 3 }), {
      nil: undefined,
    })
    .map((serviceAccounts) => ({ namespace, ...(serviceAccounts ? { serviceAccounts } : {}) }));

/** A client list of one release: distinct pool namespaces, and maybe its own (accounts required). */
const clientList = (own: string) =>
  fc
    .tuple(
      fc.uniqueArray(fc.constantFrom(...NAMESPACES), { maxLength: NAMESPACES.length }),
      fc.option(fc.uniqueArray(fc.constantFrom(...ACCOUNTS.slice(1)), { minLength: 1 }), {
        nil: undefined,
      }),
    )
    .chain(([namespaces, ownAccounts]) =>
      fc
        .tuple(...namespaces.map(entry))
        .map((entries) => [
          ...entries,
          ...(ownAccounts ? [{ namespace: own, serviceAccounts: ownAccounts }] : []),
        ]),
    );

const grantOf = (release: ReleaseConfig, namespace: string): ClientGrant | undefined =>
  release.clients.find((g) => g.namespace === namespace);

describe("property: client access is exactly what releases[].clients grants", () => {
  it("network: a labelled pod reaches the release from exactly the listed namespaces", () => {
    fc.assert(
      fc.property(clientList("spark-35"), clientList("spark-41"), (clients35, clients41) => {
        const config = parseValid(withClients(clients35, clients41, PER_RELEASE));
        const manifests = config.releases.flatMap((r) =>
          networkPolicyList(releaseNetworkPolicies(config, r)),
        );
        const model = new NetworkModel(manifests);
        for (const release of config.releases) {
          const standalone = release.mode === "standalone";
          const front = {
            namespace: release.namespace,
            labels: releaseLabels(release, standalone ? "master" : "connect"),
          };
          const port = standalone ? PORTS.masterRpc : PORTS.connectGrpc;
          for (const namespace of EVERYWHERE) {
            const client = { namespace, labels: { [CLIENT_LABEL]: release.name } };
            expect(
              model.canReach(client, front, port),
              `${release.name} from ${namespace}`,
            ).to.equal(grantOf(release, namespace) !== undefined);
          }
        }
      }),
      RUNS,
    );
  });

  it("admission: a labelled pod is admitted for exactly the listed (namespace, ServiceAccount) pairs", () => {
    fc.assert(
      fc.property(clientList("spark-35"), clientList("spark-41"), (clients35, clients41) => {
        const config = parseValid(withClients(clients35, clients41, PER_RELEASE));
        const manifests = config.releases.flatMap((r) => [
          clientAdmissionPolicy(r),
          clientAdmissionPolicyBinding(r),
        ]);
        for (const release of config.releases) {
          for (const namespace of EVERYWHERE) {
            for (const serviceAccount of ACCOUNTS) {
              const grant = grantOf(release, namespace);
              const granted =
                grant !== undefined &&
                (grant.serviceAccounts === undefined ||
                  grant.serviceAccounts.includes(serviceAccount));
              for (const operation of ["CREATE", "UPDATE"] as const) {
                const outcome = admissionOutcome(
                  manifests,
                  clientPodRequest({
                    namespace,
                    clientOf: release.name,
                    serviceAccount,
                    operation,
                  }),
                );
                expect(
                  outcome.allowed,
                  `${operation} ${release.name} client in ${namespace} as ${serviceAccount}`,
                ).to.equal(granted);
                if (!granted) {
                  expect(outcome.denials[0]!.message).to.include(`release ${release.name}`);
                  expect(outcome.denials[0]!.message).to.include(
                    `spark-platform:releases[${release.index}].clients`,
                  );
                }
              }
            }
          }
          // Pods without the label pass wherever they are.
          expect(
            admissionOutcome(manifests, clientPodRequest({ namespace: "elsewhere" })).allowed,
          ).to.equal(true);
        }
      }),
      RUNS,
    );
  });
});
