// Properties of placement over generated placements: whatever a valid placement holds, the
// schema accepts it, resolves it as given, and every pod of its release carries exactly it
// while no pod of the other release does.
import { expect } from "chai";
import fc from "fast-check";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { parsePlatformConfig } from "../../../../lib/config/parse";
import type { PodPlacement } from "../../../../lib/config/model";
import { PLACEMENT_FIELDS } from "../../../../lib/kube/placement";
import { RELEASE_LABEL } from "../../../../lib/kube/objects";
import { releasePods, validPlacement } from "../../../support/placements";
import { baseValues, rawConfig } from "../../../support/stacks";

const RUNS = { numRuns: 100 };

type Values = ReturnType<typeof baseValues> & { releases: Record<string, unknown>[] };

/** The pod spec's placement fields, as a placement (absent fields left out). */
function placementOf(spec: IPodSpec): PodPlacement {
  return Object.fromEntries(
    PLACEMENT_FIELDS.filter((f) => spec[f] !== undefined).map((f) => [f, spec[f]]),
  );
}

describe("placement properties (generated placements)", () => {
  it("any valid placement is accepted as given and applied identically to every pod of its release, and to none of the other", () => {
    fc.assert(
      fc.property(validPlacement, fc.option(validPlacement, { nil: undefined }), (p35, p41) => {
        const values = baseValues() as Values;
        values.releases[0]!["placement"] = p35;
        if (p41 !== undefined) values.releases[1]!["placement"] = p41;
        values["benchmark"] = { enabled: true, image: "spark-platform/pyspark-client:4.1.0" };
        const result = parsePlatformConfig(rawConfig(values));
        if (!result.ok) throw new Error(JSON.stringify(result.issues, null, 2));
        const { config } = result;
        const [spark35, spark41] = config.releases;
        expect(spark35!.placement).to.deep.equal(p35);
        expect(spark41!.placement).to.deep.equal(p41 ?? {});

        for (const release of config.releases) {
          const pods = releasePods(config, release);
          const components = pods.map((p) => p.labels["app.kubernetes.io/component"]);
          expect(components).to.include.members([
            "metastore",
            "schema-init",
            "history",
            "benchmark",
          ]);
          for (const pod of pods) {
            expect(pod.labels[RELEASE_LABEL], pod.origin).to.equal(release.name);
            expect(placementOf(pod.spec), pod.origin).to.deep.equal(release.placement);
          }
        }
        // The other release's pods carry their own placement, so none carries spark-35's
        // unless the two were generated equal.
        if (JSON.stringify(p41 ?? {}) !== JSON.stringify(p35)) {
          for (const pod of releasePods(config, spark41!)) {
            expect(placementOf(pod.spec), pod.origin).not.to.deep.equal(spark35!.placement);
          }
        }
      }),
      RUNS,
    );
  });
});
