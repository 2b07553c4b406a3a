import { expect } from "chai";
import { MAX_RELEASE_NAME_LENGTH, NAME_SUFFIXES, releaseNames } from "../../../../lib/naming/names";

describe("pure: names", () => {
  it("every derived name of the longest allowed release name fits 63 characters", () => {
    const name = `r${"x".repeat(MAX_RELEASE_NAME_LENGTH - 1)}`;
    const names = releaseNames(name);
    const all = [
      ...NAME_SUFFIXES.map((s) => `${name}${s}`),
      names.master,
      names.networkPolicy("allow-intra-release"),
    ];
    expect(Math.max(...all.map((n) => n.length))).to.equal(63);
    expect(MAX_RELEASE_NAME_LENGTH).to.equal(40);
  });
});
