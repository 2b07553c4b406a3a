import { PolicyPack, type StackValidationPolicy } from "@pulumi/policy";
import { STACK_RULES } from "./rules";

/**
 * Adapts the pure rules in ./rules.ts to a policy pack: each rule is a mandatory stack
 * validation, since every guardrail is an invariant across resources.
 * Run with `pulumi preview --policy-pack policy`.
 */
const policies: StackValidationPolicy[] = STACK_RULES.map((rule) => ({
  name: rule.name,
  description: rule.description,
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const resources = args.resources.map((r) => ({ type: r.type, name: r.name, props: r.props }));
    for (const message of rule.check(resources)) reportViolation(message);
  },
}));

new PolicyPack("spark-platform-isolation", { policies });
