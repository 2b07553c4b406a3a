import { z } from "zod";
import {
  dnsLabelProblem,
  dnsSubdomainProblem,
  labelKeyProblem,
  labelValueProblem,
} from "../kube/labels";

/**
 * Shape of `releases[].placement`: where a release's pods may run, in Kubernetes' own
 * shapes (PodSpec nodeSelector, tolerations, affinity, topologySpreadConstraints,
 * priorityClassName). Everything the API server would reject is refused here, with the
 * key named, so a bad placement never reaches `pulumi up`'s apply step; every object is
 * strict like the rest of the configuration.
 */

/** "is required" for a missing value, else what the value should have been. */
const missingOr = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? "is required" : expected;

/** A string that passes one of Kubernetes' syntax rules (lib/kube/labels.ts). */
const checked = (problem: (value: string) => string | undefined) =>
  z.string({ error: missingOr("must be a string") }).superRefine((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: "custom", message });
  });

/**
 * `pulumi config set --path` stores `true`, `false` and integers as YAML booleans and
 * numbers, so `--path ...nodeSelector.gpu true` arrives as a boolean; a label value is
 * text, so such values are read as the text they were typed as.
 */
function typedAsText(value: unknown): unknown {
  const integer = typeof value === "number" && Number.isSafeInteger(value);
  return typeof value === "boolean" || integer ? String(value) : value;
}

const labelKey = checked(labelKeyProblem);
const labelValue = z.preprocess(typedAsText, checked(labelValueProblem));
/** A selector value, checked by its operator (checkValues). */
const selectorValue = z.preprocess(typedAsText, z.string({ error: "must be a string" }));
const labelMap = z.record(labelKey, labelValue);
const integer = (min: number, max: number, what: string) =>
  z
    .number({ error: missingOr(`must be a whole number, ${what}`) })
    .int(`must be a whole number, ${what}`)
    .min(min, `must be ${what}`)
    .max(max, `must be ${what}`);
const weight = integer(1, 100, "1 to 100");

type Issues = z.core.$RefinementCtx;
const problemAt = (ctx: Issues, path: PropertyKey[], message: string) =>
  ctx.addIssue({ code: "custom", path, message });

/**
 * In/NotIn need values, each a label value (anything else matches no label); Exists and
 * DoesNotExist take none; Gt/Lt one integer (compared with the label as a number).
 */
function checkValues(
  ctx: Issues,
  requirement: { operator: string; values?: string[] | undefined },
): void {
  const count = requirement.values?.length ?? 0;
  const { operator } = requirement;
  if ((operator === "In" || operator === "NotIn") && count === 0) {
    problemAt(ctx, ["values"], `must list at least one value with operator ${operator}`);
  }
  if (operator === "In" || operator === "NotIn") {
    requirement.values?.forEach((value, i) => {
      const problem = labelValueProblem(value);
      if (problem) problemAt(ctx, ["values", i], problem);
    });
  }
  if ((operator === "Exists" || operator === "DoesNotExist") && count > 0) {
    problemAt(ctx, ["values"], `must be empty with operator ${operator}`);
  }
  if (operator === "Gt" || operator === "Lt") {
    if (count !== 1 || !/^-?[0-9]+$/.test(requirement.values![0]!)) {
      problemAt(ctx, ["values"], `must hold exactly one integer with operator ${operator}`);
    }
  }
}

const selectorRequirement = z
  .strictObject({
    key: labelKey,
    operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"], {
      error: "must be In, NotIn, Exists or DoesNotExist",
    }),
    values: z.array(selectorValue).optional(),
  })
  .superRefine((requirement, ctx) => checkValues(ctx, requirement));

/** A LabelSelector (pod affinity terms, topology spread constraints). */
export const labelSelectorSchema = z.strictObject({
  matchLabels: labelMap.optional(),
  matchExpressions: z.array(selectorRequirement).optional(),
});
type LabelSelector = z.infer<typeof labelSelectorSchema>;

const nodeRequirement = z
  .strictObject({
    key: labelKey,
    operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"], {
      error: "must be In, NotIn, Exists, DoesNotExist, Gt or Lt",
    }),
    values: z.array(selectorValue).optional(),
  })
  .superRefine((requirement, ctx) => checkValues(ctx, requirement));

/** Node fields can be selected by name only: `metadata.name In|NotIn [one name]`. */
const nodeFieldRequirement = z
  .strictObject({
    key: z.literal("metadata.name", { error: "must be metadata.name (the only node field)" }),
    operator: z.enum(["In", "NotIn"], { error: "must be In or NotIn" }),
    values: z.array(z.string()).length(1, "must hold exactly one node name"),
  })
  .superRefine((requirement, ctx) => {
    const problem = dnsSubdomainProblem(requirement.values[0] ?? "");
    if (problem) problemAt(ctx, ["values", 0], problem);
  });

const nodeSelectorTerm = z
  .strictObject({
    matchExpressions: z.array(nodeRequirement).optional(),
    matchFields: z.array(nodeFieldRequirement).optional(),
  })
  .refine((term) => (term.matchExpressions?.length ?? 0) + (term.matchFields?.length ?? 0) > 0, {
    message: "must set matchExpressions or matchFields: an empty term matches no node",
  });

const nodeAffinity = z.strictObject({
  requiredDuringSchedulingIgnoredDuringExecution: z
    .strictObject({
      nodeSelectorTerms: z
        .array(nodeSelectorTerm)
        .min(1, "must list at least one term (terms are ORed)"),
    })
    .optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z
    .array(z.strictObject({ weight, preference: nodeSelectorTerm }))
    .optional(),
});

/** Keys taken from the pod's own labels must not also be in the selector, nor in both lists. */
function checkLabelKeys(
  ctx: Issues,
  selector: LabelSelector | undefined,
  lists: Partial<Record<"matchLabelKeys" | "mismatchLabelKeys", string[] | undefined>>,
): void {
  const inSelector = new Set([
    ...Object.keys(selector?.matchLabels ?? {}),
    ...(selector?.matchExpressions ?? []).map((e) => e.key),
  ]);
  for (const [list, keys] of Object.entries(lists)) {
    if (!keys?.length) continue;
    if (!selector) problemAt(ctx, [list], "needs a labelSelector to add the pod's labels to");
    keys.forEach((key, i) => {
      if (inSelector.has(key)) {
        problemAt(ctx, [list, i], `${key} is already in labelSelector; name it in one place`);
      }
    });
  }
  const mismatch = new Set(lists.mismatchLabelKeys ?? []);
  (lists.matchLabelKeys ?? []).forEach((key, i) => {
    if (mismatch.has(key)) {
      problemAt(ctx, ["matchLabelKeys", i], `${key} is also in mismatchLabelKeys`);
    }
  });
}

const podAffinityTerm = z
  .strictObject({
    labelSelector: labelSelectorSchema.optional(),
    namespaceSelector: labelSelectorSchema.optional(),
    namespaces: z.array(checked(dnsLabelProblem)).optional(),
    topologyKey: labelKey,
    matchLabelKeys: z.array(labelKey).optional(),
    mismatchLabelKeys: z.array(labelKey).optional(),
  })
  .superRefine((term, ctx) =>
    checkLabelKeys(ctx, term.labelSelector, {
      matchLabelKeys: term.matchLabelKeys,
      mismatchLabelKeys: term.mismatchLabelKeys,
    }),
  );

const podAffinity = z.strictObject({
  requiredDuringSchedulingIgnoredDuringExecution: z.array(podAffinityTerm).optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z
    .array(z.strictObject({ weight, podAffinityTerm }))
    .optional(),
});

export const affinitySchema = z.strictObject({
  nodeAffinity: nodeAffinity.optional(),
  podAffinity: podAffinity.optional(),
  podAntiAffinity: podAffinity.optional(),
});

export const tolerationSchema = z
  .strictObject({
    key: labelKey.optional(),
    operator: z.enum(["Exists", "Equal"], { error: "must be Exists or Equal" }).optional(),
    value: labelValue.optional(),
    effect: z
      .enum(["NoSchedule", "PreferNoSchedule", "NoExecute"], {
        error: "must be NoSchedule, PreferNoSchedule or NoExecute (or unset: every effect)",
      })
      .optional(),
    tolerationSeconds: z
      .number({ error: "must be a whole number of seconds" })
      .int("must be a whole number of seconds")
      .optional(),
  })
  .superRefine((toleration, ctx) => {
    const operator = toleration.operator ?? "Equal";
    if ((toleration.key ?? "") === "" && operator !== "Exists") {
      problemAt(
        ctx,
        ["operator"],
        "must be Exists when key is empty (a toleration of every taint); Equal is the default",
      );
    }
    if (operator === "Exists" && (toleration.value ?? "") !== "") {
      problemAt(ctx, ["value"], "must be empty with operator Exists (it tolerates every value)");
    }
    if (toleration.tolerationSeconds !== undefined && toleration.effect !== "NoExecute") {
      problemAt(ctx, ["effect"], "must be NoExecute when tolerationSeconds is set");
    }
  });

export const topologySpreadConstraintSchema = z
  .strictObject({
    maxSkew: integer(1, 2 ** 31 - 1, "at least 1"),
    topologyKey: labelKey,
    whenUnsatisfiable: z.enum(["DoNotSchedule", "ScheduleAnyway"], {
      error: "must be DoNotSchedule or ScheduleAnyway",
    }),
    labelSelector: labelSelectorSchema.optional(),
    minDomains: integer(1, 2 ** 31 - 1, "at least 1").optional(),
    nodeAffinityPolicy: z
      .enum(["Honor", "Ignore"], { error: "must be Honor or Ignore" })
      .optional(),
    nodeTaintsPolicy: z.enum(["Honor", "Ignore"], { error: "must be Honor or Ignore" }).optional(),
    matchLabelKeys: z.array(labelKey).optional(),
  })
  .superRefine((constraint, ctx) => {
    if (constraint.minDomains !== undefined && constraint.whenUnsatisfiable !== "DoNotSchedule") {
      problemAt(ctx, ["minDomains"], "is only allowed with whenUnsatisfiable: DoNotSchedule");
    }
    checkLabelKeys(ctx, constraint.labelSelector, { matchLabelKeys: constraint.matchLabelKeys });
  });

/**
 * A PriorityClass name. The `system-` classes exist for the cluster's own critical
 * components (Kubernetes reserves the prefix): a Spark pod holding one could preempt them.
 */
const priorityClassName = checked(dnsSubdomainProblem).refine(
  (name) => !name.startsWith("system-"),
  {
    message:
      "must not be a system- class: those are reserved for the cluster's critical components, which a Spark pod could then preempt",
  },
);

export const placementSchema = z.strictObject({
  nodeSelector: labelMap.optional(),
  tolerations: z.array(tolerationSchema).optional(),
  affinity: affinitySchema.optional(),
  topologySpreadConstraints: z
    .array(topologySpreadConstraintSchema)
    .superRefine((constraints, ctx) => {
      // Kubernetes allows one constraint per (topologyKey, whenUnsatisfiable) pair.
      const seen = new Map<string, number>();
      constraints.forEach((constraint, i) => {
        const pair = `${constraint.topologyKey} ${constraint.whenUnsatisfiable}`;
        const first = seen.get(pair);
        if (first !== undefined) {
          problemAt(
            ctx,
            [i],
            `repeats topologyKey ${constraint.topologyKey} with whenUnsatisfiable ${constraint.whenUnsatisfiable} of [${first}]`,
          );
        } else seen.set(pair, i);
      });
    })
    .optional(),
  priorityClassName: priorityClassName.optional(),
});

export type RawPlacement = z.infer<typeof placementSchema>;
