import type { IMatchResources } from "kubernetes-models/admissionregistration.k8s.io/v1/MatchResources";
import type { INamedRuleWithOperations } from "kubernetes-models/admissionregistration.k8s.io/v1/NamedRuleWithOperations";
import type { KubeManifest } from "../objects";
import { admissionPoliciesIn } from "./admission";
import { CelError, CelUnsupported, evaluateCel, type CelValue } from "./cel";
import { selectorMatches } from "./networkPolicy";

/**
 * What the API server decides for one request under a set of ValidatingAdmissionPolicies
 * and their bindings (admissionregistration.k8s.io/v1), so a policy can be tried on sample
 * requests: a policy applies when its matchConstraints (resource rules, namespace and
 * object selectors: old or new object) and every match condition hold; each binding
 * naming it and matching the request (its optional matchResources) runs its validations,
 * and a validation that is false denies when the binding's actions include Deny. An
 * evaluation error counts as the policy's failurePolicy says (Fail, the default: deny).
 * Policies with parameters or variables are outside the model (CelUnsupported).
 */

/** One request as admission sees it. */
export interface AdmissionRequest {
  readonly operation: "CREATE" | "UPDATE" | "DELETE";
  readonly resource: {
    readonly group: string;
    readonly version: string;
    readonly resource: string;
  };
  readonly subResource?: string;
  /** The request's namespace; absent for cluster-scoped objects. */
  readonly namespace?: string;
  /** Labels of that namespace (`kubernetes.io/metadata.name` is implied). */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /** What the request creates or leaves behind (absent on DELETE). */
  readonly object?: KubeManifest;
  /** What an UPDATE or DELETE touches (absent on CREATE). */
  readonly oldObject?: KubeManifest;
  /** `request.userInfo.username`. */
  readonly user: string;
}

/** A denial, naming the policy and binding that made it and the message a user reads. */
export interface Denial {
  readonly policy: string;
  readonly binding: string;
  readonly message: string;
}

export interface AdmissionOutcome {
  readonly allowed: boolean;
  readonly denials: readonly Denial[];
  /** Policies whose validations ran on the request (for messages). */
  readonly applied: readonly string[];
}

function ruleMatches(rule: INamedRuleWithOperations, request: AdmissionRequest): boolean {
  const { group, version, resource } = request.resource;
  const target = request.subResource ? `${resource}/${request.subResource}` : resource;
  const resourceOk = (rule.resources ?? []).some((r) => {
    if (r === "*/*" || r === target) return true;
    if (r === "*") return !request.subResource;
    const [base, sub] = r.split("/");
    return sub !== undefined && request.subResource !== undefined
      ? (base === "*" || base === resource) && (sub === "*" || sub === request.subResource)
      : false;
  });
  const scope = rule.scope ?? "*";
  const scopeOk = scope === "*" || (scope === "Namespaced") === (request.namespace !== undefined);
  return (
    (rule.apiGroups ?? []).some((g) => g === "*" || g === group) &&
    (rule.apiVersions ?? []).some((v) => v === "*" || v === version) &&
    (rule.operations ?? []).some((o) => o === "*" || o === request.operation) &&
    (rule.resourceNames ?? []).length === 0 &&
    resourceOk &&
    scopeOk
  );
}

/** Whether match resources select the request; `required`: absent resource rules match nothing. */
function matches(
  match: IMatchResources | undefined,
  request: AdmissionRequest,
  required: boolean,
): boolean {
  if (!match) return !required;
  const rules = match.resourceRules ?? [];
  if ((required || rules.length > 0) && !rules.some((rule) => ruleMatches(rule, request))) {
    return false;
  }
  if ((match.excludeResourceRules ?? []).some((rule) => ruleMatches(rule, request))) return false;
  if (request.namespace !== undefined) {
    const labels = {
      ...(request.namespaceLabels ?? {}),
      "kubernetes.io/metadata.name": request.namespace,
    };
    if (!selectorMatches(match.namespaceSelector, labels)) return false;
  }
  // The object selector holds when the old or the new object matches it.
  const objects = [request.object, request.oldObject].filter((o) => o !== undefined);
  return objects.some((o) => selectorMatches(match.objectSelector, o.metadata?.labels ?? {}));
}

/** The variables CEL expressions of a policy see for this request. */
function celVariables(request: AdmissionRequest): Record<string, CelValue> {
  const json = (value: unknown) => JSON.parse(JSON.stringify(value ?? null)) as CelValue;
  return {
    request: {
      operation: request.operation,
      resource: { ...request.resource },
      ...(request.subResource ? { subResource: request.subResource } : {}),
      ...(request.namespace !== undefined ? { namespace: request.namespace } : {}),
      userInfo: { username: request.user },
    },
    object: json(request.object),
    oldObject: json(request.oldObject),
    namespaceObject:
      request.namespace === undefined
        ? null
        : {
            metadata: {
              name: request.namespace,
              labels: {
                ...(request.namespaceLabels ?? {}),
                "kubernetes.io/metadata.name": request.namespace,
              },
            },
          },
    params: null,
  };
}

/** Evaluates one expression; an evaluation error is returned as such, anything else thrown. */
function attempt(expression: string, variables: Record<string, CelValue>): CelValue | CelError {
  try {
    return evaluateCel(expression, variables);
  } catch (error) {
    if (error instanceof CelError) return error;
    throw error;
  }
}

/** Runs every policy and binding on the request, as the API server's admission does. */
export function admissionOutcome(
  manifests: readonly KubeManifest[],
  request: AdmissionRequest,
): AdmissionOutcome {
  const { policies, bindings } = admissionPoliciesIn(manifests);
  const variables = celVariables(request);
  const denials: Denial[] = [];
  const applied: string[] = [];
  for (const policy of policies) {
    const name = policy.metadata?.name ?? "";
    const spec = policy.spec ?? {};
    if (spec.paramKind || (spec.variables ?? []).length > 0) {
      throw new CelUnsupported(`${name}: parameters and variables are outside the model`);
    }
    if (!matches(spec.matchConstraints, request, true)) continue;
    const failClosed = spec.failurePolicy !== "Ignore";
    const denyingBindings = bindings.filter(
      (b) =>
        b.spec?.policyName === name &&
        (b.spec.validationActions ?? []).includes("Deny") &&
        matches(b.spec.matchResources, request, false),
    );
    if (denyingBindings.length === 0) continue;
    const problems: string[] = [];
    let conditionsHold = true;
    for (const condition of spec.matchConditions ?? []) {
      const result = attempt(condition.expression, variables);
      if (result instanceof CelError) {
        if (failClosed) problems.push(`match condition ${condition.name}: ${result.message}`);
        else conditionsHold = false;
      } else if (result === false) conditionsHold = false;
    }
    if (!conditionsHold) continue;
    if (problems.length === 0) {
      applied.push(name);
      for (const validation of spec.validations ?? []) {
        const result = attempt(validation.expression, variables);
        if (result instanceof CelError) {
          if (failClosed) {
            problems.push(
              `expression '${validation.expression}' resulted in error: ${result.message}`,
            );
          }
        } else if (result !== true) {
          const custom = validation.messageExpression
            ? attempt(validation.messageExpression, variables)
            : undefined;
          problems.push(
            typeof custom === "string" && custom.trim() !== ""
              ? custom
              : (validation.message ?? `failed expression: ${validation.expression}`),
          );
        }
      }
    }
    for (const binding of denyingBindings) {
      for (const message of problems) {
        denials.push({ policy: name, binding: binding.metadata?.name ?? "", message });
      }
    }
  }
  return { allowed: denials.length === 0, denials, applied };
}
