import { expect } from "chai";
import {
  ownObjectsPolicy,
  ownObjectsPolicyBinding,
  ownObjectsPolicyName,
} from "../../../../components/spark-release/admissionPolicy";
import { sparkDefaults } from "../../../../lib/spark/defaults";
import { confinementOf, ownReleaseRule } from "../../../../lib/kube/analysis/admission";
import { parsePlatformConfig } from "../../../../lib/config/parse";
import { RELEASE_LABEL } from "../../../../lib/kube/objects";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";

const config = () => parseValid(rawConfig(baseValues()));
const releaseNamed = (name: string) => config().releases.find((r) => r.name === name)!;

describe("admission policy confining a release's ServiceAccount", () => {
  it("is named after release and namespace, cluster-scoped, labelled like every release object", () => {
    const release = releaseNamed("spark-41");
    const policy = ownObjectsPolicy(release);
    const binding = ownObjectsPolicyBinding(release);
    expect(ownObjectsPolicyName(release)).to.equal("spark-41-own-objects.spark");
    for (const object of [policy, binding]) {
      expect(object.metadata?.name).to.equal("spark-41-own-objects.spark");
      expect(object.metadata).to.not.have.property("namespace");
      expect(object.metadata?.labels?.[RELEASE_LABEL]).to.equal("spark-41");
    }
    expect(binding.spec).to.deep.equal({
      policyName: "spark-41-own-objects.spark",
      validationActions: ["Deny"],
    });
  });

  it("matches every namespaced write of that one account, and nothing cluster-scoped", () => {
    const spec = ownObjectsPolicy(releaseNamed("spark-41")).spec!;
    expect(spec.failurePolicy).to.equal("Fail");
    expect(spec.matchConditions).to.deep.equal([
      {
        name: "release-service-account",
        expression: "request.userInfo.username == 'system:serviceaccount:spark:spark-41-spark'",
      },
    ]);
    expect(spec.matchConstraints?.resourceRules).to.deep.equal([
      {
        apiGroups: ["*"],
        apiVersions: ["*"],
        resources: ["*/*"],
        operations: ["CREATE", "UPDATE", "DELETE"],
        scope: "Namespaced",
      },
    ]);
    expect(spec.matchConstraints).to.not.have.any.keys("namespaceSelector", "objectSelector");
  });

  it("admits only objects labelled with the release, old and new, and says so when it denies", () => {
    const [validation] = ownObjectsPolicy(releaseNamed("spark-41")).spec!.validations!;
    expect(validation!.expression).to.equal(ownReleaseRule("spark-41"));
    const rule = ownReleaseRule("spark-41");
    expect(rule).to.include("object.metadata.labels['spark-platform.io/release'] == 'spark-41'");
    expect(rule).to.include("oldObject.metadata.labels['spark-platform.io/release'] == 'spark-41'");
    expect(rule).to.match(
      /^\(request.operation == 'DELETE' \|\| .*\) && \(request.operation == 'CREATE' \|\| /,
    );
    expect(validation!.message).to.equal(
      "ServiceAccount spark/spark-41-spark (release spark-41) may create, change and delete only objects labelled spark-platform.io/release=spark-41",
    );
    expect(validation!.messageExpression!.startsWith(`'${validation!.message}; denied '`)).to.equal(
      true,
    );
    // request.name is absent for deletecollection items: the message names the object.
    expect(validation!.messageExpression).to.not.include("request.name");
  });

  it("the verifier recognises what the builder emits (same text, one source)", () => {
    const release = releaseNamed("spark-41");
    const confinement = confinementOf(
      [ownObjectsPolicy(release), ownObjectsPolicyBinding(release)],
      {
        user: "system:serviceaccount:spark:spark-41-spark",
        release: "spark-41",
        namespace: "spark",
        resources: [
          { group: "", resource: "pods" },
          { group: "", resource: "configmaps" },
        ],
      },
    );
    expect(confinement.by).to.deep.equal([
      "spark-41-own-objects.spark (binding spark-41-own-objects.spark)",
    ]);
  });
});

describe("what Spark creates for the Connect server carries the release label", () => {
  it("executors are labelled through spark-defaults and the pod template; no executor ConfigMap", () => {
    const c = config();
    const conf = sparkDefaults(c, c.releases.find((r) => r.name === "spark-41")!);
    expect(conf[`spark.kubernetes.executor.label.${RELEASE_LABEL}`]).to.equal("spark-41");
    // Spark labels spark-exec-*-conf-map with its app id and role only (setUpExecutorConfigMap).
    expect(conf["spark.kubernetes.executor.disableConfigMap"]).to.equal("true");
  });

  for (const key of [
    "spark.kubernetes.executor.disableConfigMap",
    "spark.kubernetes.executor.label.spark-platform.io/release",
    "spark.kubernetes.driver.label.spark-platform.io/release",
  ]) {
    it(`refuses sparkConf ${key}: the admission policy depends on it`, () => {
      const values = baseValues();
      const releases = values["releases"] as Record<string, unknown>[];
      releases[1] = { ...releases[1], sparkConf: { [key]: "false" } };
      const result = parsePlatformConfig(rawConfig(values));
      expect(result.ok).to.equal(false);
      if (!result.ok) {
        expect(result.issues.map((i) => i.key)).to.include(
          `spark-platform:releases[1].sparkConf.${key}`,
        );
      }
    });
  }
});
