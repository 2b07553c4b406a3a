import { expect } from "chai";
import {
  ownObjectsPolicy,
  ownObjectsPolicyBinding,
} from "../../../../../components/spark-release/admissionPolicy";
import { CelUnsupported } from "../../../../../lib/kube/analysis/cel";
import {
  admissionOutcome,
  type AdmissionRequest,
} from "../../../../../lib/kube/analysis/validatingAdmission";
import { RELEASE_LABEL, type KubeManifest } from "../../../../../lib/kube/objects";
import { baseValues, parseValid, rawConfig } from "../../../../support/stacks";

const configMap = (name: string, release?: string): KubeManifest => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "spark", labels: release ? { [RELEASE_LABEL]: release } : {} },
});

const request = (overrides: Partial<AdmissionRequest>): AdmissionRequest => ({
  operation: "CREATE",
  resource: { group: "", version: "v1", resource: "configmaps" },
  namespace: "spark",
  object: configMap("c", "a"),
  user: "alice",
  ...overrides,
});

/** A policy denying objects labelled tier=forbidden, with the given spec overrides. */
function policy(spec: Record<string, unknown> = {}): KubeManifest {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: { name: "p" },
    spec: {
      failurePolicy: "Fail",
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: [""],
            apiVersions: ["v1"],
            resources: ["configmaps"],
            operations: ["CREATE", "UPDATE"],
            scope: "Namespaced",
          },
        ],
      },
      validations: [
        {
          expression: "object.metadata.labels['tier'] != 'forbidden'",
          message: "static message",
          messageExpression: "'no forbidden tier for ' + object.metadata.name",
        },
      ],
      ...spec,
    },
  } as KubeManifest;
}

function binding(actions: string[] = ["Deny"], matchResources?: object): KubeManifest {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: { name: "b" },
    spec: {
      policyName: "p",
      validationActions: actions,
      ...(matchResources ? { matchResources } : {}),
    },
  } as KubeManifest;
}

const forbidden: KubeManifest = {
  ...configMap("bad"),
  metadata: { name: "bad", namespace: "spark", labels: { tier: "forbidden" } },
};

describe("ValidatingAdmissionPolicy model", () => {
  it("a false validation denies with the message expression, naming policy and binding", () => {
    const outcome = admissionOutcome([policy(), binding()], request({ object: forbidden }));
    expect(outcome.allowed).to.equal(false);
    expect(outcome.denials).to.deep.equal([
      { policy: "p", binding: "b", message: "no forbidden tier for bad" },
    ]);
  });

  it("a true validation admits; requests outside the resource rules are not evaluated", () => {
    const allowed = { tier: "ok" };
    const ok = { ...forbidden, metadata: { ...forbidden.metadata, labels: allowed } };
    expect(admissionOutcome([policy(), binding()], request({ object: ok })).allowed).to.equal(true);
    const secret = request({
      object: forbidden,
      resource: { group: "", version: "v1", resource: "secrets" },
    });
    expect(admissionOutcome([policy(), binding()], secret).applied).to.deep.equal([]);
    const deletion = request({ operation: "DELETE", object: undefined, oldObject: forbidden });
    expect(admissionOutcome([policy(), binding()], deletion).allowed).to.equal(true);
    const status = request({ object: forbidden, subResource: "status" });
    expect(admissionOutcome([policy(), binding()], status).allowed).to.equal(true);
  });

  it("without a Deny binding nothing is denied (Warn, Audit, or no binding at all)", () => {
    const r = request({ object: forbidden });
    expect(admissionOutcome([policy()], r).allowed).to.equal(true);
    expect(admissionOutcome([policy(), binding(["Warn", "Audit"])], r).allowed).to.equal(true);
  });

  it("a binding's matchResources narrows where it denies", () => {
    const onlyProd = { namespaceSelector: { matchLabels: { env: "prod" } } };
    const r = request({ object: forbidden });
    expect(admissionOutcome([policy(), binding(["Deny"], onlyProd)], r).allowed).to.equal(true);
    const prod = request({ object: forbidden, namespaceLabels: { env: "prod" } });
    expect(admissionOutcome([policy(), binding(["Deny"], onlyProd)], prod).allowed).to.equal(false);
  });

  it("the object selector holds when the old or the new object matches", () => {
    const selecting = policy({
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: [""],
            apiVersions: ["*"],
            resources: ["configmaps"],
            operations: ["UPDATE"],
          },
        ],
        objectSelector: { matchLabels: { tier: "forbidden" } },
      },
    });
    const relabelled = request({
      operation: "UPDATE",
      object: configMap("bad"),
      oldObject: forbidden,
    });
    expect(admissionOutcome([selecting, binding()], relabelled).applied).to.deep.equal(["p"]);
    const unrelated = request({
      operation: "UPDATE",
      object: configMap("c"),
      oldObject: configMap("c"),
    });
    expect(admissionOutcome([selecting, binding()], unrelated).applied).to.deep.equal([]);
  });

  it("match conditions that are false skip the policy", () => {
    const onlyBob = policy({
      matchConditions: [{ name: "bob", expression: "request.userInfo.username == 'bob'" }],
    });
    expect(admissionOutcome([onlyBob, binding()], request({ object: forbidden })).allowed).to.equal(
      true,
    );
    expect(
      admissionOutcome([onlyBob, binding()], request({ object: forbidden, user: "bob" })).allowed,
    ).to.equal(false);
  });

  it("an evaluation error denies under failurePolicy Fail and admits under Ignore", () => {
    // configMap("c") has no tier label: selecting it is a CEL error.
    const r = request({ object: configMap("c") });
    const failing = admissionOutcome([policy(), binding()], r);
    expect(failing.allowed).to.equal(false);
    expect(failing.denials[0]!.message).to.match(/resulted in error: no such key: tier/);
    expect(admissionOutcome([policy({ failurePolicy: "Ignore" }), binding()], r).allowed).to.equal(
      true,
    );
  });

  it("a message expression that fails falls back to the static message", () => {
    const broken = policy({
      validations: [
        { expression: "false", message: "static message", messageExpression: "object.nope" },
      ],
    });
    expect(admissionOutcome([broken, binding()], request({})).denials[0]!.message).to.equal(
      "static message",
    );
  });

  it("parameters are outside the model: refused, not ignored", () => {
    const withParams = policy({ paramKind: { apiVersion: "v1", kind: "ConfigMap" } });
    expect(() => admissionOutcome([withParams, binding()], request({}))).to.throw(CelUnsupported);
  });

  describe("evaluates the release's own-objects policy (the RBAC confinement) as the API server would", () => {
    const config = parseValid(rawConfig(baseValues()));
    const spark41 = config.releases.find((r) => r.name === "spark-41")!;
    const manifests = [ownObjectsPolicy(spark41), ownObjectsPolicyBinding(spark41)];
    const account = "system:serviceaccount:spark:spark-41-spark";

    it("the spark-41 account may not delete or rewrite spark-35's ConfigMap", () => {
      const deletion = admissionOutcome(
        manifests,
        request({
          operation: "DELETE",
          object: undefined,
          oldObject: configMap("spark-35-spark-defaults", "spark-35"),
          user: account,
        }),
      );
      expect(deletion.allowed).to.equal(false);
      expect(deletion.denials[0]!.message).to.equal(
        "ServiceAccount spark/spark-41-spark (release spark-41) may create, change and delete only objects labelled spark-platform.io/release=spark-41; denied DELETE of configmaps spark-35-spark-defaults",
      );
      const relabel = request({
        operation: "UPDATE",
        object: configMap("spark-35-spark-defaults", "spark-41"),
        oldObject: configMap("spark-35-spark-defaults", "spark-35"),
        user: account,
      });
      expect(admissionOutcome(manifests, relabel).allowed).to.equal(false);
    });

    it("its own objects pass, and nobody else's requests are touched", () => {
      const own = request({ object: configMap("spark-41-x", "spark-41"), user: account });
      expect(admissionOutcome(manifests, own).allowed).to.equal(true);
      const pulumi = request({ object: configMap("spark-35-x", "spark-35"), user: "admin" });
      expect(admissionOutcome(manifests, pulumi)).to.deep.include({ allowed: true, applied: [] });
    });
  });
});
