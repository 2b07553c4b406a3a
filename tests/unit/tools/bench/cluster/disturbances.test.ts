import { expect } from "chai";
import {
  disturbancesIn,
  foreignPods,
  podsScheduledSince,
} from "../../../../../tools/bench/cluster/disturbances";

describe("cluster benchmark: pods of others in the namespace", () => {
  const events = [
    {
      reason: "Scheduled",
      involvedObject: { kind: "Pod", name: "spark-35-master-5fbd9c8bd7-br5fh" },
      eventTime: "2026-12-01T11:15:37.000000Z",
      firstTimestamp: null,
    },
    {
      reason: "Scheduled",
      involvedObject: { kind: "Pod", name: "it-net-client-spark-41-x" },
      eventTime: "2026-12-01T11:17:14.100000Z",
    },
    {
      reason: "Pulled",
      involvedObject: { kind: "Pod", name: "it-cli-spark-35-y" },
      firstTimestamp: "2026-12-01T11:17:33Z",
    },
    {
      reason: "Scheduled",
      involvedObject: { kind: "Pod", name: "it-old" },
      firstTimestamp: "2026-12-01T11:00:00Z",
    },
  ];

  it("lists the pods the scheduler placed since a time, gone ones included", () => {
    const placed = podsScheduledSince(events, Date.parse("2026-12-01T11:15:00Z"));
    expect([...placed]).to.deep.equal([
      ["it-net-client-spark-41-x", Date.parse("2026-12-01T11:17:14.100Z")],
      ["spark-35-master-5fbd9c8bd7-br5fh", Date.parse("2026-12-01T11:15:37Z")],
    ]);
  });

  it("names the phase each pod of others was placed in", () => {
    const at = (time: string) => Date.parse(`2026-12-01T${time}Z`);
    const placed = new Map([
      ["it-a", at("11:16:00")],
      ["it-b", at("11:17:14")],
      ["it-c", at("11:20:00")],
    ]);
    const phases = [
      { name: "pulumi up", from: at("11:15:00"), to: at("11:16:30") },
      { name: "idle window", from: at("11:17:00"), to: at("11:18:00") },
    ];
    expect(disturbancesIn(placed, ["it-a", "it-b", "it-c"], phases)).to.deep.equal([
      { pod: "it-a", phase: "pulumi up" },
      { pod: "it-b", phase: "idle window" },
      { pod: "it-c", phase: "between phases" },
    ]);
  });

  it("tells the platform's pods (named after a release) from others'", () => {
    expect(
      foreignPods(
        ["spark-35-master-1", "spark-41-5ccf44-exec-1", "it-net-client-spark-41-x", "spark-350"],
        ["spark-35", "spark-41"],
      ),
    ).to.deep.equal(["it-net-client-spark-41-x", "spark-350"]);
  });
});
