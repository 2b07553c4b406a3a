import { expect } from "chai";
import { nodeCountFor, parseNodeCount } from "../../../cluster/nodeCount";

describe("cluster: node count", () => {
  it("up starts the count asked for, else the last up's, else one", () => {
    expect(nodeCountFor(2, 1)).to.equal(2);
    expect(nodeCountFor(1, 2)).to.equal(1);
    expect(nodeCountFor(undefined, 2)).to.equal(2);
    expect(nodeCountFor(undefined, undefined)).to.equal(1);
  });

  it("reads a recorded count, ignoring what is not one", () => {
    expect(parseNodeCount('{"nodes":2}\n')).to.equal(2);
    for (const bad of [
      undefined,
      "",
      "{",
      '{"nodes":0}',
      '{"nodes":1.5}',
      '{"nodes":"2"}',
      '{"nodes":65}',
    ])
      expect(parseNodeCount(bad), String(bad)).to.equal(undefined);
  });
});
