import { expect } from "chai";
import {
  clientAdmissionPolicy,
  clientAdmissionPolicyBinding,
  clientPolicyName,
} from "../../../../components/spark-release/clientAdmissionPolicy";
import type { ReleaseConfig } from "../../../../lib/config/model";
import {
  clientPodRequest,
  type ClientPodProbe,
} from "../../../../lib/kube/analysis/clientAdmission";
import { admissionOutcome } from "../../../../lib/kube/analysis/validatingAdmission";
import { CLIENT_LABEL, RELEASE_LABEL } from "../../../../lib/kube/objects";
import { PER_RELEASE, withClients } from "../../../support/clientConfig";
import { parseValid } from "../../../support/stacks";

/** perRelease: spark-35 grants team-pipelines (any account) and airflow (airflow-worker only). */
const config = parseValid(
  withClients(
    [
      { namespace: "team-pipelines" },
      { namespace: "airflow", serviceAccounts: ["airflow-worker", "airflow-scheduler"] },
    ],
    [],
    PER_RELEASE,
  ),
);
const spark35 = config.releases[0]!;
const spark41 = config.releases[1]!;

const manifestsOf = (release: ReleaseConfig) => [
  clientAdmissionPolicy(release),
  clientAdmissionPolicyBinding(release),
];
const admit = (release: ReleaseConfig, probe: ClientPodProbe) =>
  admissionOutcome(manifestsOf(release), clientPodRequest(probe));

describe("client admission policy of a release", () => {
  it("is cluster-scoped, named after release and namespace, labelled like every release object, bound with Deny everywhere", () => {
    const policy = clientAdmissionPolicy(spark35);
    const binding = clientAdmissionPolicyBinding(spark35);
    expect(clientPolicyName(spark35)).to.equal("spark-35-clients.spark-35");
    for (const object of [policy, binding]) {
      expect(object.metadata?.name).to.equal("spark-35-clients.spark-35");
      expect(object.metadata).to.not.have.property("namespace");
      expect(object.metadata?.labels?.[RELEASE_LABEL]).to.equal("spark-35");
    }
    expect(binding.spec).to.deep.equal({
      policyName: "spark-35-clients.spark-35",
      validationActions: ["Deny"],
    });
    expect(policy.spec?.failurePolicy).to.equal("Fail");
    expect(policy.spec?.matchConstraints?.resourceRules).to.deep.equal([
      {
        apiGroups: [""],
        apiVersions: ["v1"],
        resources: ["pods"],
        operations: ["CREATE", "UPDATE"],
        scope: "Namespaced",
      },
    ]);
  });

  it("admits a labelled pod in a listed namespace that lists no ServiceAccount, under any account", () => {
    for (const serviceAccount of [undefined, "default", "pipelines-runner"]) {
      const outcome = admit(spark35, {
        namespace: "team-pipelines",
        clientOf: "spark-35",
        ...(serviceAccount ? { serviceAccount } : {}),
      });
      expect(outcome.allowed, String(serviceAccount)).to.equal(true);
      expect(outcome.applied).to.deep.equal(["spark-35-clients.spark-35"]);
    }
  });

  it("admits a labelled pod in a listed namespace under a listed ServiceAccount", () => {
    for (const serviceAccount of ["airflow-worker", "airflow-scheduler"]) {
      expect(
        admit(spark35, { namespace: "airflow", clientOf: "spark-35", serviceAccount }).allowed,
      ).to.equal(true);
    }
  });

  it("refuses a labelled pod in an unlisted namespace, naming the pod, release and key", () => {
    const outcome = admit(spark35, {
      namespace: "team-data-science",
      clientOf: "spark-35",
      name: "notebook-0",
    });
    expect(outcome.allowed).to.equal(false);
    expect(outcome.denials.map((d) => d.message)).to.deep.equal([
      "pod notebook-0 in namespace team-data-science is labelled spark-platform.io/client-of=spark-35, but release spark-35 admits client pods only from namespaces team-pipelines, airflow; to grant it, add the namespace to spark-platform:releases[0].clients (or remove the label)",
    ]);
    expect(outcome.denials[0]!.policy).to.equal("spark-35-clients.spark-35");
  });

  it("refuses a labelled pod in a listed namespace under another ServiceAccount (or none), naming the key of the entry", () => {
    for (const serviceAccount of ["default", undefined, "airflow-webserver"]) {
      const outcome = admit(spark35, {
        namespace: "airflow",
        clientOf: "spark-35",
        name: "task-1",
        ...(serviceAccount ? { serviceAccount } : {}),
      });
      expect(outcome.allowed, String(serviceAccount)).to.equal(false);
      expect(outcome.denials.map((d) => d.message)).to.deep.equal([
        `pod task-1 in namespace airflow runs as ServiceAccount ${serviceAccount ?? "default"}, but release spark-35 admits client pods (spark-platform.io/client-of=spark-35) in airflow only under airflow-worker, airflow-scheduler; to grant it, add the account to spark-platform:releases[0].clients[1].serviceAccounts (or remove the label)`,
      ]);
    }
  });

  it("refuses an UPDATE that adds the label where it is not granted (labels are mutable)", () => {
    const outcome = admit(spark35, {
      namespace: "team-data-science",
      clientOf: "spark-35",
      operation: "UPDATE",
    });
    expect(outcome.allowed).to.equal(false);
  });

  it("lets an UPDATE remove the label anywhere (the pod stops claiming access)", () => {
    const outcome = admit(spark35, {
      namespace: "team-data-science",
      previousClientOf: "spark-35",
      operation: "UPDATE",
    });
    expect(outcome).to.deep.include({ allowed: true });
  });

  it("leaves pods without the label, or labelled for another release, untouched: the release's own pods and executors", () => {
    const untouched = [
      admit(spark35, { namespace: "team-data-science" }),
      admit(spark35, { namespace: "spark-35", serviceAccount: "spark-35-spark" }),
      admit(spark35, { namespace: "team-data-science", clientOf: "spark-41" }),
    ];
    for (const outcome of untouched) {
      expect(outcome).to.deep.equal({ allowed: true, denials: [], applied: [] });
    }
  });

  it("a release without clients refuses its label everywhere, saying it grants none", () => {
    expect(spark41.clients).to.deep.equal([]);
    const outcome = admit(spark41, { namespace: "airflow", clientOf: "spark-41", name: "x" });
    expect(outcome.denials.map((d) => d.message)).to.deep.equal([
      "pod x in namespace airflow is labelled spark-platform.io/client-of=spark-41, but release spark-41 admits no client pods; to grant it, add the namespace to spark-platform:releases[1].clients (or remove the label)",
    ]);
  });

  it("keeps a static message for each rule, naming release and key, for API servers that fail the expression", () => {
    const messages = clientAdmissionPolicy(spark35).spec!.validations!.map((v) => v.message);
    expect(messages).to.deep.equal([
      `pods labelled ${CLIENT_LABEL}=spark-35 are clients of release spark-35, which admits client pods only from namespaces team-pipelines, airflow (spark-platform:releases[0].clients)`,
      `release spark-35 admits client pods (${CLIENT_LABEL}=spark-35) in namespace airflow only under ServiceAccounts airflow-worker, airflow-scheduler (spark-platform:releases[0].clients[1].serviceAccounts)`,
    ]);
  });
});
