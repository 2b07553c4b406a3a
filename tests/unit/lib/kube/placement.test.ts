import { expect } from "chai";
import { parse as parseYaml, stringify } from "yaml";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { PodPlacement } from "../../../../lib/config/model";
import { PLACEMENT_FIELDS, withPlacement } from "../../../../lib/kube/placement";
import { FULL_PLACEMENT } from "../../../support/placements";

const spec: IPodSpec = {
  containers: [{ name: "main", image: "spark" }],
  enableServiceLinks: false,
};

describe("lib/kube/placement: withPlacement", () => {
  it("adds each placement field to the pod spec and keeps the builder's own fields", () => {
    const placed = withPlacement(spec, FULL_PLACEMENT);
    expect(placed).to.deep.equal({ ...spec, ...FULL_PLACEMENT });
    expect(Object.keys(FULL_PLACEMENT)).to.have.members([...PLACEMENT_FIELDS]);
  });

  it("an empty placement changes nothing", () => {
    expect(withPlacement(spec, {})).to.deep.equal(spec);
  });

  it("copies the placement, so two pods never share an object (YAML would alias them)", () => {
    const placement: PodPlacement = { tolerations: [{ key: "spot", operator: "Exists" }] };
    const a = withPlacement(structuredClone(spec), placement);
    const b = withPlacement(structuredClone(spec), placement);
    expect(a.tolerations).not.to.equal(placement.tolerations);
    expect(a.tolerations).not.to.equal(b.tolerations);
    const text = stringify({ items: [{ spec: a }, { spec: b }] });
    expect(text).not.to.match(/[&*]a\d/);
    expect(parseYaml(text)).to.deep.equal({ items: [{ spec: a }, { spec: b }] });
  });

  it("refuses a builder that sets a placement field itself", () => {
    expect(() =>
      withPlacement({ ...spec, nodeSelector: { pool: "a" } }, { nodeSelector: { pool: "b" } }),
    ).to.throw(/already sets nodeSelector/);
  });
});
