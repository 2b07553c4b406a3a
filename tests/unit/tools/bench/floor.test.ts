import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import {
  kubernetesClassPath,
  registerFloor,
  resourceCount,
  resourceKinds,
} from "../../../../tools/bench/floor";
import {
  RENDER_DIGEST_KEY,
  renderMocks,
  waitForRegistrations,
} from "../../../../tools/render/mocks";
import { renderStack } from "../../../support/stacks";

describe("tools/bench/floor.ts: as many trivial resources of the same kinds", () => {
  it("counts kinds, custom and component apart", () => {
    const kinds = resourceKinds([
      { type: "b", custom: true },
      { type: "a", custom: false },
      { type: "b", custom: true },
      { type: "a", custom: true },
    ]);
    expect(kinds).to.deep.equal([
      { type: "a", custom: false, count: 1 },
      { type: "a", custom: true, count: 1 },
      { type: "b", custom: true, count: 2 },
    ]);
    expect(resourceCount(kinds)).to.equal(4);
  });

  it("maps Kubernetes types to @pulumi/kubernetes classes", () => {
    expect(kubernetesClassPath("kubernetes:core/v1:ConfigMap")).to.deep.equal([
      "core",
      "v1",
      "ConfigMap",
    ]);
    expect(kubernetesClassPath("kubernetes:networking.k8s.io/v1:NetworkPolicy")).to.deep.equal([
      "networking",
      "v1",
      "NetworkPolicy",
    ]);
    expect(kubernetesClassPath("aws:s3/bucket:Bucket")).to.equal(undefined);
  });

  it("registers the dev stack's kinds and counts, and nothing else", async () => {
    const { resources } = await renderStack("dev");
    const kinds = resourceKinds(resources);
    const registered: { type: string; custom: boolean }[] = [];
    const mocks = renderMocks(RENDER_DIGEST_KEY);
    await pulumi.runtime.setMocks(
      {
        ...mocks,
        newResource: (args) => {
          registered.push({ type: args.type, custom: args.custom ?? false });
          return mocks.newResource(args);
        },
      },
      "spark-platform",
      "floor-test",
      false,
    );
    registerFloor(kinds);
    await waitForRegistrations();
    expect(resourceKinds(registered)).to.deep.equal(kinds);
  });
});
