import { expect } from "chai";
import type { ConfigIssue } from "../../../../lib/config/model";
import { formatIssue, parsePlatformConfig } from "../../../../lib/config/parse";
import { FULL_PLACEMENT } from "../../../support/placements";
import { baseValues, parseValid, rawConfig } from "../../../support/stacks";

type Values = ReturnType<typeof baseValues> & { releases: Record<string, unknown>[] };

/** The base configuration with a placement on spark-35 (releases[0]). */
function withPlacement(placement: unknown): Values {
  const values = baseValues() as Values;
  values.releases[0]!["placement"] = placement;
  return values;
}

function issuesOf(placement: unknown): ConfigIssue[] {
  const result = parsePlatformConfig(rawConfig(withPlacement(placement)));
  return result.ok ? [] : [...result.issues];
}

const AT = "spark-platform:releases[0].placement";

describe("lib/config/placementSchema: releases[].placement", () => {
  it("accepts every key in Kubernetes' own shapes, and resolves it as given", () => {
    const config = parseValid(rawConfig(withPlacement(FULL_PLACEMENT)));
    expect(config.releases[0]!.placement).to.deep.equal(FULL_PLACEMENT);
    expect(config.releases[1]!.placement).to.deep.equal({});
  });

  it("drops what says nothing: empty maps and lists", () => {
    const config = parseValid(
      rawConfig(
        withPlacement({
          nodeSelector: {},
          tolerations: [],
          topologySpreadConstraints: [],
          affinity: {},
        }),
      ),
    );
    expect(config.releases[0]!.placement).to.deep.equal({});
  });

  it("reads label values typed by `pulumi config set --path` (true, false, integers) as text", () => {
    const config = parseValid(
      rawConfig(
        withPlacement({
          nodeSelector: { gpu: true, generation: 3 },
          tolerations: [{ key: "dedicated", value: false, effect: "NoSchedule" }],
        }),
      ),
    );
    expect(config.releases[0]!.placement).to.deep.equal({
      nodeSelector: { gpu: "true", generation: "3" },
      tolerations: [{ key: "dedicated", value: "false", effect: "NoSchedule" }],
    });
    expect(issuesOf({ nodeSelector: { ratio: 1.5 } }).map(formatIssue)).to.deep.equal([
      `${AT}.nodeSelector.ratio: must be a string [releases: spark-35]`,
    ]);
  });

  it("refuses what Kubernetes would reject, naming the key", () => {
    const cases: [unknown, string, RegExp][] = [
      [
        {
          tolerations: [
            { key: "a", operator: "Exists" },
            { key: "b", effect: "NoRun" },
          ],
        },
        `${AT}.tolerations[1].effect`,
        /must be NoSchedule, PreferNoSchedule or NoExecute/,
      ],
      [
        { tolerations: [{ key: "a", operator: "Exists", value: "x" }] },
        `${AT}.tolerations[0].value`,
        /must be empty with operator Exists/,
      ],
      [
        { tolerations: [{ key: "a", operator: "Matches" }] },
        `${AT}.tolerations[0].operator`,
        /must be Exists or Equal/,
      ],
      [
        { tolerations: [{ value: "x" }] },
        `${AT}.tolerations[0].operator`,
        /must be Exists when key is empty/,
      ],
      [
        {
          tolerations: [
            { key: "a", operator: "Exists", effect: "NoSchedule", tolerationSeconds: 30 },
          ],
        },
        `${AT}.tolerations[0].effect`,
        /must be NoExecute when tolerationSeconds is set/,
      ],
      [
        { tolerations: [{ key: "a b", operator: "Exists" }] },
        `${AT}.tolerations[0].key`,
        /is not a label key/,
      ],
      [
        { tolerations: [{ key: "a", value: "-x" }] },
        `${AT}.tolerations[0].value`,
        /is not a label value/,
      ],
      [
        { nodeSelector: { "kubernetes.io/": "x" } },
        `${AT}.nodeSelector["kubernetes.io/"]`,
        /name must not be empty/,
      ],
      [{ nodeSelector: { pool: "a b" } }, `${AT}.nodeSelector.pool`, /is not a label value/],
      [{ nodeSelector: ["pool=a"] }, `${AT}.nodeSelector`, /expected record/],
      [{ priorityClassName: "Batch" }, `${AT}.priorityClassName`, /DNS subdomain/],
      [
        { priorityClassName: "system-node-critical" },
        `${AT}.priorityClassName`,
        /must not be a system- class/,
      ],
      [
        {
          topologySpreadConstraints: [
            { maxSkew: 0, topologyKey: "zone", whenUnsatisfiable: "DoNotSchedule" },
          ],
        },
        `${AT}.topologySpreadConstraints[0].maxSkew`,
        /at least 1/,
      ],
      [
        {
          topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "Never" },
          ],
        },
        `${AT}.topologySpreadConstraints[0].whenUnsatisfiable`,
        /must be DoNotSchedule or ScheduleAnyway/,
      ],
      [
        { topologySpreadConstraints: [{ maxSkew: 1, whenUnsatisfiable: "DoNotSchedule" }] },
        `${AT}.topologySpreadConstraints[0].topologyKey`,
        /^is required$/,
      ],
      [
        {
          topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "ScheduleAnyway", minDomains: 2 },
          ],
        },
        `${AT}.topologySpreadConstraints[0].minDomains`,
        /only allowed with whenUnsatisfiable: DoNotSchedule/,
      ],
      [
        {
          topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "DoNotSchedule" },
            { maxSkew: 2, topologyKey: "zone", whenUnsatisfiable: "DoNotSchedule" },
          ],
        },
        `${AT}.topologySpreadConstraints[1]`,
        /repeats topologyKey zone with whenUnsatisfiable DoNotSchedule of \[0\]/,
      ],
      [
        {
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: "zone",
              whenUnsatisfiable: "DoNotSchedule",
              matchLabelKeys: ["pod-template-hash"],
            },
          ],
        },
        `${AT}.topologySpreadConstraints[0].matchLabelKeys`,
        /needs a labelSelector/,
      ],
      [
        {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] },
            },
          },
        },
        `${AT}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`,
        /at least one term/,
      ],
      [
        {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] },
            },
          },
        },
        `${AT}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]`,
        /an empty term matches no node/,
      ],
      [
        {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: "pool", operator: "In" }] }],
              },
            },
          },
        },
        `${AT}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values`,
        /at least one value with operator In/,
      ],
      [
        {
          affinity: {
            nodeAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 1,
                  preference: {
                    matchExpressions: [{ key: "gen", operator: "Lt", values: ["new"] }],
                  },
                },
              ],
            },
          },
        },
        `${AT}.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].values`,
        /exactly one integer with operator Lt/,
      ],
      [
        {
          affinity: {
            nodeAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 101,
                  preference: { matchExpressions: [{ key: "ssd", operator: "Exists" }] },
                },
              ],
            },
          },
        },
        `${AT}.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight`,
        /1 to 100/,
      ],
      [
        {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchFields: [{ key: "metadata.labels", operator: "In", values: ["x"] }] },
                ],
              },
            },
          },
        },
        `${AT}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key`,
        /must be metadata.name/,
      ],
      [
        // Pod affinity terms where node affinity terms belong: the nesting is Kubernetes'.
        {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "zone" }],
            },
          },
        },
        `${AT}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`,
        /expected object/,
      ],
      [
        {
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: {} }],
            },
          },
        },
        `${AT}.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey`,
        /^is required$/,
      ],
      [
        {
          affinity: {
            podAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                {
                  topologyKey: "zone",
                  labelSelector: {
                    matchExpressions: [{ key: "app", operator: "Exists", values: ["x"] }],
                  },
                },
              ],
            },
          },
        },
        `${AT}.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values`,
        /must be empty with operator Exists/,
      ],
      [
        {
          affinity: {
            podAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                {
                  topologyKey: "zone",
                  labelSelector: { matchLabels: { app: "x" } },
                  matchLabelKeys: ["app"],
                },
              ],
            },
          },
        },
        `${AT}.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].matchLabelKeys[0]`,
        /app is already in labelSelector/,
      ],
      [
        {
          affinity: {
            podAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                { topologyKey: "zone", labelSelector: {}, namespaces: ["Spark"] },
              ],
            },
          },
        },
        `${AT}.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].namespaces[0]`,
        /DNS label/,
      ],
      [{ affinity: { nodeAfinity: {} } }, `${AT}.affinity.nodeAfinity`, /unknown key/],
      [
        { tolerations: [{ key: "a", operator: "Exists", effects: "NoSchedule" }] },
        `${AT}.tolerations[0].effects`,
        /unknown key/,
      ],
      [{ schedulerName: "batch" }, `${AT}.schedulerName`, /unknown key/],
    ];
    for (const [placement, key, message] of cases) {
      const issues = issuesOf(placement);
      const at = issues.filter((i) => i.key === key);
      expect(at, `${key} in ${issues.map(formatIssue).join("\n")}`).to.have.length(1);
      expect(at[0]!.message).to.match(message);
      expect(at[0]!.releases).to.deep.equal(["spark-35"]);
    }
  });

  it("reports every problem of one placement at once", () => {
    const issues = issuesOf({
      nodeSelector: { "a b": "x", pool: "-y" },
      tolerations: [{ key: "a", operator: "Exists", value: "v" }, { effect: "Sometimes" }],
    });
    expect(issues.map((i) => i.key)).to.have.members([
      `${AT}.nodeSelector["a b"]`,
      `${AT}.nodeSelector.pool`,
      `${AT}.tolerations[0].value`,
      `${AT}.tolerations[1].effect`,
    ]);
  });
});
