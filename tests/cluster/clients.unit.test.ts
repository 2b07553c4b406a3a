import { expect } from "chai";
import {
  clientAdmissionPolicy,
  clientAdmissionPolicyBinding,
} from "../../components/spark-release/clientAdmissionPolicy";
import type { PlatformConfig } from "../../lib/config/model";
import { rawConfigFromStackFile } from "../../lib/config/sources";
import { admissionOutcome } from "../../lib/kube/analysis/validatingAdmission";
import type { KubeManifest } from "../../lib/kube/objects";
import { stackFilePath } from "../../tools/cli/stackFiles";
import { parseValid } from "../support/stacks";
import {
  CLIENT_PLACEMENT,
  IT_CLIENTS_LABEL,
  RELEASES,
  UNGRANTED_NAMESPACE,
  clientNamespaceObjects,
  clientSleeperPod,
} from "./clients";

const stackConfig = (stack: string): PlatformConfig =>
  parseValid(rawConfigFromStackFile(stackFilePath(stack)));

/** A pod the live suite would create, as the admission request of its CREATE. */
const creating = (pod: KubeManifest) => ({
  operation: "CREATE" as const,
  resource: { group: "", version: "v1", resource: "pods" },
  namespace: pod.metadata!.namespace!,
  object: pod,
  user: "kubernetes-admin",
});

describe("live clients: where the suite's client pods run (tests/cluster/clients.ts)", () => {
  for (const stack of ["local", "local-prod"]) {
    it(`${stack} grants the placement ${CLIENT_PLACEMENT.namespace}/${CLIENT_PLACEMENT.serviceAccount} to both releases, and each ungranted namespace to the other release only`, () => {
      const config = stackConfig(stack);
      for (const name of RELEASES) {
        const release = config.releases.find((r) => r.name === name)!;
        const grant = release.clients.find((g) => g.namespace === CLIENT_PLACEMENT.namespace);
        expect(grant, `${stack} ${name}`).to.not.equal(undefined);
        expect(grant!.serviceAccounts).to.include(CLIENT_PLACEMENT.serviceAccount);
        expect(release.clients.map((g) => g.namespace)).to.not.include(UNGRANTED_NAMESPACE[name]);
        const other = config.releases.find((r) => r.name !== name)!;
        expect(other.clients.map((g) => g.namespace)).to.include(UNGRANTED_NAMESPACE[name]);
      }
    });

    it(`${stack}: the suite's client pods pass the stack's client admission policies; the same pods elsewhere do not`, () => {
      const config = stackConfig(stack);
      const policies = config.releases.flatMap((r) => [
        clientAdmissionPolicy(r),
        clientAdmissionPolicyBinding(r),
      ]);
      for (const release of RELEASES) {
        const pod = clientSleeperPod(
          `it-cli-${release}-x`,
          "x",
          "img",
          release,
        ) as unknown as KubeManifest;
        expect(admissionOutcome(policies, creating(pod)).allowed, release).to.equal(true);
        const elsewhere = {
          ...pod,
          metadata: { ...pod.metadata, namespace: UNGRANTED_NAMESPACE[release] },
        };
        expect(admissionOutcome(policies, creating(elsewhere)).allowed, release).to.equal(false);
      }
    });
  }

  it("the teams' side: every listed namespace, Pod Security restricted, with the accounts entries list", () => {
    const objects = clientNamespaceObjects(stackConfig("local")) as {
      kind: string;
      metadata: { name: string; namespace?: string; labels: Record<string, string> };
    }[];
    expect(
      objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`),
    ).to.have.members([
      "Namespace//team-pipelines",
      "Namespace//airflow",
      "ServiceAccount/airflow/airflow-worker",
      "Namespace//team-data-science",
    ]);
    for (const namespace of objects.filter((o) => o.kind === "Namespace")) {
      expect(namespace.metadata.labels).to.include({
        "pod-security.kubernetes.io/enforce": "restricted",
        [IT_CLIENTS_LABEL]: "true",
      });
    }
    // Namespaces a stack creates itself (dev: createNamespace) are not the suite's to make.
    expect(clientNamespaceObjects(stackConfig("dev"))).to.deep.equal([]);
  });

  it("a client sleeper runs in the placement under its account, labelled for its release", () => {
    const pod = clientSleeperPod("it-cli-spark-41-x", "x", "img", "spark-41") as unknown as {
      metadata: { namespace: string; labels: Record<string, string> };
      spec: { serviceAccountName: string; automountServiceAccountToken: boolean };
    };
    expect(pod.metadata.namespace).to.equal("airflow");
    expect(pod.metadata.labels["spark-platform.io/client-of"]).to.equal("spark-41");
    expect(pod.spec.serviceAccountName).to.equal("airflow-worker");
    expect(pod.spec.automountServiceAccountToken).to.equal(false);
  });
});
