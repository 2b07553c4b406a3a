import type { IMatchCondition } from "kubernetes-models/admissionregistration.k8s.io/v1/MatchCondition";
import type { IMatchResources } from "kubernetes-models/admissionregistration.k8s.io/v1/MatchResources";
import type { INamedRuleWithOperations } from "kubernetes-models/admissionregistration.k8s.io/v1/NamedRuleWithOperations";
import type { IValidatingAdmissionPolicySpec } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicySpec";
import type { IValidatingAdmissionPolicyBindingSpec } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBindingSpec";
import { RELEASE_LABEL, type KubeManifest } from "../objects";
import { selectorMatches } from "./networkPolicy";

/**
 * What "a ValidatingAdmissionPolicy confines a release's ServiceAccount to its own
 * release's objects" means, as text the policy builder emits and the verifier and policy
 * pack recognise. RBAC cannot scope a Role by label, so in a namespace two releases share
 * the admission policy is what keeps one release's account off the other's objects.
 */

/** The user name the API server gives requests made with a ServiceAccount's token. */
export function serviceAccountUser(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** A CEL string literal (names here are DNS labels; quotes and backslashes escaped anyway). */
export const celString = (value: string) =>
  `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** CEL of a match condition that selects only requests of one user. */
export function userCondition(user: string): string {
  return `request.userInfo.username == ${celString(user)}`;
}

/** The operations a confinement policy must intercept (PATCH and apply are UPDATE). */
export const CONFINED_OPERATIONS = ["CREATE", "UPDATE", "DELETE"] as const;

/** CEL: `<obj>` carries the release label with exactly this value. */
const labelled = (obj: "object" | "oldObject", release: string) =>
  `(has(${obj}.metadata) && has(${obj}.metadata.labels) && ${celString(RELEASE_LABEL)} in ${obj}.metadata.labels && ${obj}.metadata.labels[${celString(RELEASE_LABEL)}] == ${celString(release)})`;

/**
 * The validation of a release's confinement: what a request creates or an update leaves
 * behind (`object`) and what an update or delete touches (`oldObject`) both carry the
 * release label of this release. CREATE has no oldObject, DELETE (also each item of a
 * deletecollection) no object; `||` short-circuits past the absent one.
 */
export function ownReleaseRule(release: string): string {
  return (
    `(request.operation == 'DELETE' || ${labelled("object", release)})` +
    ` && (request.operation == 'CREATE' || ${labelled("oldObject", release)})`
  );
}

const normalise = (cel: string) => cel.replace(/\s+/g, " ").trim();

/** A Kubernetes resource as RBAC and admission rules name it: API group and plural. */
export interface ApiResource {
  readonly group: string;
  readonly resource: string;
}

export interface PolicyManifest extends KubeManifest {
  spec?: IValidatingAdmissionPolicySpec;
}

export interface PolicyBindingManifest extends KubeManifest {
  spec?: IValidatingAdmissionPolicyBindingSpec;
}

/** The ValidatingAdmissionPolicies and their bindings among the objects. */
export function admissionPoliciesIn(manifests: readonly KubeManifest[]): {
  policies: PolicyManifest[];
  bindings: PolicyBindingManifest[];
} {
  return {
    policies: manifests.filter((m): m is PolicyManifest => m.kind === "ValidatingAdmissionPolicy"),
    bindings: manifests.filter(
      (m): m is PolicyBindingManifest => m.kind === "ValidatingAdmissionPolicyBinding",
    ),
  };
}

function ruleCovers(rule: INamedRuleWithOperations, target: ApiResource, operation: string) {
  const has = (list: readonly string[] | undefined, ...values: string[]) =>
    (list ?? []).some((v) => values.includes(v));
  return (
    has(rule.apiGroups, target.group, "*") &&
    (rule.apiVersions ?? []).length > 0 &&
    has(rule.resources, target.resource, "*", "*/*") &&
    has(rule.operations, operation, "*") &&
    (rule.resourceNames ?? []).length === 0 &&
    [undefined, "*", "Namespaced"].includes(rule.scope)
  );
}

/**
 * Whether match resources let a request on `target` in a namespace with these labels
 * through to the validations; `required` when a missing resourceRules list matches nothing
 * (a policy's matchConstraints) rather than everything (a binding's optional narrowing).
 */
function matchesRequest(
  match: IMatchResources | undefined,
  target: ApiResource,
  operation: string,
  namespaceLabels: Readonly<Record<string, string>>,
  required: boolean,
): boolean {
  if (!match) return !required;
  const rules = match.resourceRules ?? [];
  if (required || rules.length > 0) {
    if (!rules.some((rule) => ruleCovers(rule, target, operation))) return false;
  }
  if ((match.excludeResourceRules ?? []).some((rule) => ruleCovers(rule, target, operation))) {
    return false;
  }
  // An object selector lets every object outside it escape the policy.
  const objectSelector = match.objectSelector;
  if (
    objectSelector &&
    (Object.keys(objectSelector.matchLabels ?? {}).length > 0 ||
      (objectSelector.matchExpressions ?? []).length > 0)
  ) {
    return false;
  }
  return selectorMatches(match.namespaceSelector, namespaceLabels);
}

/** Whether every match condition is "the request is this user's" (conditions are ANDed). */
function conditionsSelectUser(conditions: readonly IMatchCondition[] | undefined, user: string) {
  const wanted = normalise(userCondition(user));
  return (conditions ?? []).every((c) => normalise(c.expression) === wanted);
}

/** Whether the policy's conditions name this user at all (so its failure is worth a reason). */
function mentionsUser(policy: PolicyManifest, user: string): boolean {
  return (policy.spec?.matchConditions ?? []).some((c) => c.expression.includes(user));
}

export interface ConfinementQuery {
  /** The ServiceAccount's user name (`serviceAccountUser`). */
  readonly user: string;
  /** The release whose label the account's writes must carry. */
  readonly release: string;
  /** The namespace the writes happen in. */
  readonly namespace: string;
  /** Labels of that namespace (`kubernetes.io/metadata.name` is implied). */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /** What the account may write there. */
  readonly resources: readonly ApiResource[];
}

export interface Confinement {
  /** `policy (binding)` pairs that together confine every write; empty when none does. */
  readonly by: readonly string[];
  /** Why policies that name the user do not confine it (for the verifier's detail). */
  readonly reasons: readonly string[];
}

/**
 * Whether some ValidatingAdmissionPolicy with a Deny binding intercepts every write of the
 * user to the given resources in the namespace and admits it only when old and new object
 * carry the release's label. Read structurally: the validation must be `ownReleaseRule`,
 * the conditions must select exactly this user, the rules must cover each resource for
 * CREATE, UPDATE and DELETE, with no object selector, no parameters and failurePolicy Fail.
 */
export function confinementOf(
  manifests: readonly KubeManifest[],
  query: ConfinementQuery,
): Confinement {
  const { policies, bindings } = admissionPoliciesIn(manifests);
  const namespaceLabels = {
    ...(query.namespaceLabels ?? {}),
    "kubernetes.io/metadata.name": query.namespace,
  };
  const rule = normalise(ownReleaseRule(query.release));
  const by: string[] = [];
  const reasons: string[] = [];
  for (const policy of policies) {
    const name = policy.metadata?.name ?? "";
    const spec = policy.spec ?? {};
    const problems: string[] = [];
    if (!conditionsSelectUser(spec.matchConditions, query.user) || !spec.matchConditions?.length) {
      problems.push(`its match conditions do not select exactly ${query.user}`);
    }
    if (!(spec.validations ?? []).some((v) => normalise(v.expression) === rule)) {
      problems.push(`no validation pins ${RELEASE_LABEL}=${query.release} on object and oldObject`);
    }
    if (spec.failurePolicy === "Ignore") problems.push("failurePolicy Ignore admits on errors");
    if (spec.paramKind) problems.push("it takes parameters the verifier cannot read");
    for (const target of query.resources) {
      for (const operation of CONFINED_OPERATIONS) {
        if (!matchesRequest(spec.matchConstraints, target, operation, namespaceLabels, true)) {
          problems.push(
            `its matchConstraints let ${operation} of ${target.resource || "?"}${target.group ? `.${target.group}` : ""} in ${query.namespace} through`,
          );
        }
      }
    }
    const bound = bindings.filter((b) => b.spec?.policyName === name);
    const denying = bound.filter(
      (b) =>
        (b.spec?.validationActions ?? []).includes("Deny") &&
        query.resources.every((target) =>
          CONFINED_OPERATIONS.every((operation) =>
            matchesRequest(b.spec?.matchResources, target, operation, namespaceLabels, false),
          ),
        ),
    );
    if (denying.length === 0) {
      problems.push(
        bound.length === 0
          ? "no ValidatingAdmissionPolicyBinding binds it"
          : `no binding of it denies every such write in ${query.namespace} (${bound.map((b) => `${b.metadata?.name}: ${(b.spec?.validationActions ?? []).join(",") || "no actions"}`).join("; ")})`,
      );
    }
    if (problems.length === 0) {
      by.push(`${name} (binding ${denying.map((b) => b.metadata?.name).join(", ")})`);
    } else if (mentionsUser(policy, query.user)) {
      reasons.push(`ValidatingAdmissionPolicy ${name}: ${[...new Set(problems)].join(", ")}`);
    }
  }
  return { by, reasons };
}
