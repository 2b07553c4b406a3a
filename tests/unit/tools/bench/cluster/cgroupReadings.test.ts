import { expect } from "chai";
import {
  memoryStat,
  nanosToMillicores,
  podUidOfCgroup,
  workingSetBytes,
} from "../../../../../tools/bench/cluster/cgroupReadings";

describe("cluster benchmark: cgroup readings", () => {
  it("the working set of a pod is its usage less inactive file cache", () => {
    const stat = memoryStat(
      "cache 0\nrss 0\ntotal_cache 613527552\ntotal_rss 932347904\ntotal_inactive_file 345473024\n",
    );
    expect(stat["total_rss"]).to.equal(932347904);
    expect(workingSetBytes(stat, 1600000000)).to.equal(1600000000 - 345473024);
    expect(workingSetBytes({}, 10)).to.equal(10);
    expect(workingSetBytes({ total_inactive_file: 20 }, 10)).to.equal(0);
  });

  it("knows a kubelet pod cgroup by its name", () => {
    expect(podUidOfCgroup("poddb0540bf-6c4b-4738-9eaa-6fc6a724e5f8")).to.equal(
      "db0540bf-6c4b-4738-9eaa-6fc6a724e5f8",
    );
    expect(
      podUidOfCgroup("070bcf93f7314607deb843935878097af39815275065f7bcda96e4f0787cb1c9"),
    ).to.equal(undefined);
  });

  it("converts cpuacct nanoseconds to millicores", () => {
    expect(nanosToMillicores(3e9, 60)).to.equal(50);
  });
});
