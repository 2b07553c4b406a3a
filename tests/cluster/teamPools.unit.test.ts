import { expect } from "chai";
import { NODE_POOL_LABEL } from "../../cluster/node/clusterNode";
import { parsePlatformConfig } from "../../lib/config/parse";
import { rawConfigFromStackFile } from "../../lib/config/sources";
import { stackFilePath } from "../../tools/cli/stackFiles";
import {
  pinnedReleases,
  placementComplaints,
  poolsPresent,
  TEAM_POOLS,
  type PlacedPod,
} from "./teamPools";

const NODES = { "spark-node": "pool-a", "spark-node-2": "pool-b" };
const pod = (name: string, release: string, node?: string): PlacedPod => ({
  name,
  release,
  kind: "ReplicaSet",
  ...(node ? { node } : {}),
});

describe("live helpers: team node pools", () => {
  it("pins each release of local-prod to its pool, and the result passes check-config", () => {
    const raw = rawConfigFromStackFile(stackFilePath("local-prod"));
    const releases = pinnedReleases(
      raw.values["releases"] as Record<string, unknown>[],
      TEAM_POOLS,
    );
    const parsed = parsePlatformConfig({ ...raw, values: { ...raw.values, releases } });
    expect(parsed.ok).to.equal(true);
    if (!parsed.ok) return;
    for (const release of parsed.config.releases)
      expect(release.placement.nodeSelector).to.deep.include({
        [NODE_POOL_LABEL]: TEAM_POOLS[release.name],
      });
  });

  it("keeps a release's own nodeSelector keys and leaves unnamed releases alone", () => {
    const [pinned, other] = pinnedReleases(
      [
        { name: "spark-35", placement: { nodeSelector: { disk: "ssd" }, priorityClassName: "x" } },
        { name: "spark-99" },
      ],
      { "spark-35": "pool-a" },
    );
    expect(pinned!["placement"]).to.deep.equal({
      nodeSelector: { disk: "ssd", [NODE_POOL_LABEL]: "pool-a" },
      priorityClassName: "x",
    });
    expect(other).to.deep.equal({ name: "spark-99" });
  });

  it("complains of a pod on the other pool, an unscheduled pod and a release with no pod", () => {
    const pools = { "spark-35": "pool-a", "spark-41": "pool-b" };
    expect(
      placementComplaints(
        [pod("m", "spark-35", "spark-node"), pod("e", "spark-41", "spark-node-2")],
        NODES,
        pools,
      ),
    ).to.deep.equal([]);
    expect(
      placementComplaints(
        [pod("m", "spark-35", "spark-node-2"), pod("w", "spark-35")],
        NODES,
        pools,
      ),
    ).to.deep.equal([
      "spark-35: m runs on spark-node-2 (pool-b), not in pool-a",
      "spark-35: w is not scheduled",
      "spark-41: no pod found",
    ]);
  });

  it("needs a Ready node in every team pool", () => {
    expect(poolsPresent(NODES)).to.equal(true);
    expect(poolsPresent({ "spark-node": "pool-a" })).to.equal(false);
  });
});
