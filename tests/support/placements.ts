import fc from "fast-check";
import type { PlatformConfig, PodPlacement, ReleaseConfig } from "../../lib/config/model";
import { podModels, type PodModel } from "../../lib/kube/analysis/pods";
import type { KubeManifest } from "../../lib/kube/objects";
import { benchmarkJob } from "../../components/benchmark/manifests";
import { historyDeployment } from "../../components/history-server-prefix/manifests";
import { metastoreDeployment, schemaInitJob } from "../../components/isolated-metastore/manifests";
import {
  connectDeployment,
  executorPodTemplateConfigMap,
} from "../../components/spark-release/manifests/connect";
import {
  masterDeployment,
  workerDeployment,
} from "../../components/spark-release/manifests/standalone";

// Placements for tests: one example using every key, and a generator of placements that
// Kubernetes accepts, built valid by construction (so the schema must accept each one).

/** A placement using every key, each in a shape Kubernetes accepts. */
export const FULL_PLACEMENT: PodPlacement = {
  nodeSelector: { "node-pool": "spark-35", "kubernetes.io/os": "linux" },
  tolerations: [
    { key: "dedicated", operator: "Equal", value: "spark", effect: "NoSchedule" },
    { key: "spot", operator: "Exists" },
    {
      key: "node.kubernetes.io/unreachable",
      operator: "Exists",
      effect: "NoExecute",
      tolerationSeconds: 60,
    },
    { operator: "Exists" },
  ],
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          {
            matchExpressions: [
              { key: "node-pool", operator: "In", values: ["spark-35", "spark-shared"] },
              { key: "cpu-generation", operator: "Gt", values: ["3"] },
            ],
          },
          { matchFields: [{ key: "metadata.name", operator: "In", values: ["node-2"] }] },
        ],
      },
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 50, preference: { matchExpressions: [{ key: "ssd", operator: "Exists" }] } },
      ],
    },
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: {
            topologyKey: "kubernetes.io/hostname",
            labelSelector: {
              matchExpressions: [
                { key: "app.kubernetes.io/component", operator: "In", values: ["worker"] },
              ],
            },
            matchLabelKeys: ["spark-platform.io/release"],
          },
        },
      ],
    },
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        {
          topologyKey: "topology.kubernetes.io/zone",
          labelSelector: { matchLabels: { "spark-platform.io/release": "spark-35" } },
          namespaces: ["spark"],
        },
      ],
    },
  },
  topologySpreadConstraints: [
    {
      maxSkew: 1,
      topologyKey: "kubernetes.io/hostname",
      whenUnsatisfiable: "ScheduleAnyway",
      labelSelector: { matchLabels: { "spark-platform.io/release": "spark-35" } },
      matchLabelKeys: ["app.kubernetes.io/component"],
      nodeTaintsPolicy: "Honor",
    },
    {
      maxSkew: 2,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "DoNotSchedule",
      minDomains: 2,
      labelSelector: { matchLabels: { "spark-platform.io/release": "spark-35" } },
    },
  ],
  priorityClassName: "spark-batch",
};

const name = fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,8}[a-z0-9])?$/);
const dnsLabel = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
const labelKey = fc
  .tuple(
    fc.constantFrom("", "example.com/", "node-role.kubernetes.io/", "spark-platform.io/"),
    name,
  )
  .map(([prefix, part]) => `${prefix}${part}`);
const labelValue = fc.oneof(fc.constant(""), name);
const labelMap = fc.dictionary(labelKey, labelValue, { minKeys: 1, maxKeys: 3 });
const effect = fc.constantFrom("NoSchedule", "PreferNoSchedule", "NoExecute");
/** A key the selectors below never use, for matchLabelKeys. */
const OWN_LABEL_KEY = "app.kubernetes.io/instance";

const toleration = fc.oneof(
  fc.record(
    { key: labelKey, operator: fc.constant("Exists"), effect },
    { requiredKeys: ["key", "operator"] },
  ),
  fc.record(
    { key: labelKey, operator: fc.constant("Equal"), value: labelValue, effect },
    { requiredKeys: ["key"] },
  ),
  fc.record({
    key: labelKey,
    operator: fc.constant("Exists"),
    effect: fc.constant("NoExecute"),
    tolerationSeconds: fc.integer({ min: 0, max: 3600 }),
  }),
  fc.constant({ operator: "Exists" }),
);

const selectorRequirement = fc.oneof(
  fc.record({
    key: labelKey,
    operator: fc.constantFrom("In", "NotIn"),
    values: fc.array(labelValue, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ key: labelKey, operator: fc.constantFrom("Exists", "DoesNotExist") }),
);
const labelSelector = fc
  .record(
    {
      matchLabels: labelMap,
      matchExpressions: fc.array(selectorRequirement, { minLength: 1, maxLength: 2 }),
    },
    { requiredKeys: [] },
  )
  .filter((selector) => {
    const keys = [
      ...Object.keys(selector.matchLabels ?? {}),
      ...(selector.matchExpressions ?? []).map((e) => e.key),
    ];
    return !keys.includes(OWN_LABEL_KEY);
  });

const nodeRequirement = fc.oneof(
  selectorRequirement,
  fc.record({
    key: labelKey,
    operator: fc.constantFrom("Gt", "Lt"),
    values: fc.integer({ min: -5, max: 500 }).map((n) => [String(n)]),
  }),
);
const nodeSelectorTerm = fc.record(
  {
    matchExpressions: fc.array(nodeRequirement, { minLength: 1, maxLength: 2 }),
    matchFields: fc.array(
      fc.record({
        key: fc.constant("metadata.name"),
        operator: fc.constantFrom("In", "NotIn"),
        values: dnsLabel.map((n) => [n]),
      }),
      { minLength: 1, maxLength: 1 },
    ),
  },
  { requiredKeys: ["matchExpressions"] },
);
const weight = fc.integer({ min: 1, max: 100 });

/** With a selector, the pod's own value of OWN_LABEL_KEY may narrow it (matchLabelKeys). */
const withOwnLabelKey = <T extends { labelSelector?: unknown }>(item: fc.Arbitrary<T>) =>
  fc
    .tuple(item, fc.boolean())
    .map(([value, own]) =>
      own && value.labelSelector ? { ...value, matchLabelKeys: [OWN_LABEL_KEY] } : value,
    );

const podAffinityTerm = withOwnLabelKey(
  fc.record(
    {
      labelSelector,
      namespaceSelector: labelSelector,
      namespaces: fc.array(dnsLabel, { minLength: 1, maxLength: 2 }),
      topologyKey: labelKey,
    },
    { requiredKeys: ["topologyKey"] },
  ),
);
const podAffinity = fc.record(
  {
    requiredDuringSchedulingIgnoredDuringExecution: fc.array(podAffinityTerm, {
      minLength: 1,
      maxLength: 2,
    }),
    preferredDuringSchedulingIgnoredDuringExecution: fc.array(
      fc.record({ weight, podAffinityTerm }),
      { minLength: 1, maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);
const affinity = fc
  .record(
    {
      nodeAffinity: fc.record(
        {
          requiredDuringSchedulingIgnoredDuringExecution: fc.record({
            nodeSelectorTerms: fc.array(nodeSelectorTerm, { minLength: 1, maxLength: 2 }),
          }),
          preferredDuringSchedulingIgnoredDuringExecution: fc.array(
            fc.record({ weight, preference: nodeSelectorTerm }),
            { minLength: 1, maxLength: 2 },
          ),
        },
        { requiredKeys: [] },
      ),
      podAffinity,
      podAntiAffinity: podAffinity,
    },
    { requiredKeys: [] },
  )
  .filter((a) => Object.keys(a).length > 0);

const spreadConstraint = withOwnLabelKey(
  fc
    .record(
      {
        maxSkew: fc.integer({ min: 1, max: 5 }),
        topologyKey: labelKey,
        whenUnsatisfiable: fc.constantFrom("DoNotSchedule", "ScheduleAnyway"),
        labelSelector,
        minDomains: fc.integer({ min: 1, max: 3 }),
        nodeAffinityPolicy: fc.constantFrom("Honor", "Ignore"),
        nodeTaintsPolicy: fc.constantFrom("Honor", "Ignore"),
      },
      { requiredKeys: ["maxSkew", "topologyKey", "whenUnsatisfiable"] },
    )
    .map(({ minDomains, ...constraint }) =>
      // minDomains only with DoNotSchedule.
      constraint.whenUnsatisfiable === "DoNotSchedule" && minDomains !== undefined
        ? { ...constraint, minDomains }
        : constraint,
    ),
);

/** A placement Kubernetes accepts; keys absent or set to something that says something. */
export const validPlacement = fc.record(
  {
    nodeSelector: labelMap,
    tolerations: fc.array(toleration, { minLength: 1, maxLength: 3 }),
    affinity,
    topologySpreadConstraints: fc.uniqueArray(spreadConstraint, {
      minLength: 1,
      maxLength: 3,
      selector: (c) => `${c.topologyKey} ${c.whenUnsatisfiable}`,
    }),
    priorityClassName: dnsLabel.filter((n) => !n.startsWith("system-")),
  },
  { requiredKeys: [] },
);

/**
 * Every pod a release's pure builders make, as pod models: its Spark daemons (and the
 * Connect executors' template), metastore and schema-init Job, History Server and
 * benchmark Job. The rendered-stack tests check the same over everything registered.
 */
export function releasePods(config: PlatformConfig, release: ReleaseConfig): PodModel[] {
  const manifests: KubeManifest[] =
    release.mode === "standalone"
      ? [masterDeployment(config, release), workerDeployment(config, release)]
      : [connectDeployment(config, release), executorPodTemplateConfigMap(config, release)];
  manifests.push(
    metastoreDeployment(config, release),
    schemaInitJob(config, release),
    historyDeployment(config, release),
    benchmarkJob(config, release),
  );
  return podModels(manifests);
}

/**
 * What `pulumi config set --path '<key>' <text>` does to a stack's `spark-platform:*`
 * values (keys without the namespace), as the CLI does it: `name.child`, `[index]` and
 * `["quoted.key"]` segments, missing maps and lists created on the way, and the text typed
 * (exactly `true`/`false` a boolean, an integer without a leading zero a number).
 */
export function configSetPath(values: Record<string, unknown>, path: string, text: string): void {
  const segments: (string | number)[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|\["([^"]+)"\]/g;
  for (const [, name, index, quoted] of path.matchAll(pattern)) {
    segments.push(index !== undefined ? Number(index) : (name ?? quoted)!);
  }
  let value: unknown = text;
  if (text === "true" || text === "false") value = text === "true";
  else if (/^[-+]?\d+$/.test(text) && !(text.length > 1 && text.startsWith("0"))) {
    value = Number(text);
  }
  let container: Record<string | number, unknown> = values;
  segments.forEach((segment, i) => {
    if (i === segments.length - 1) {
      container[segment] = value;
      return;
    }
    const next = segments[i + 1];
    container[segment] ??= typeof next === "number" ? [] : {};
    container = container[segment] as Record<string | number, unknown>;
  });
}
