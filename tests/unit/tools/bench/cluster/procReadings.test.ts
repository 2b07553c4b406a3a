import { expect } from "chai";
import {
  processTree,
  shimSandboxId,
  smapsPssKiB,
  statCpuTicks,
  statParent,
  ticksToMillicores,
  vmRssKiB,
} from "../../../../../tools/bench/cluster/procReadings";

describe("cluster benchmark: /proc readings", () => {
  // comm with a space and a parenthesis, as the kernel prints it.
  const stat =
    "4242 (java (main) x) S 17 4242 4242 0 -1 4194560 100 0 0 0 1234 567 8 9 20 0 30 0 292941 0 0";

  it("reads the parent and utime+stime past a comm holding spaces", () => {
    expect(statParent(stat)).to.equal(17);
    expect(statCpuTicks(stat)).to.equal(1234 + 567);
  });

  it("reads Pss of smaps_rollup", () => {
    const rollup =
      "559e-7fff ---p 00000000 00:00 0 [rollup]\nRss:  1840 kB\nPss:   191 kB\nPss_Anon:  112 kB\n";
    expect(smapsPssKiB(rollup)).to.equal(191);
    expect(smapsPssKiB("")).to.equal(0);
  });

  it("reads VmRSS, 0 for a kernel thread", () => {
    expect(vmRssKiB("Name:\tetcd\nVmHWM:\t  70000 kB\nVmRSS:\t   67684 kB\n")).to.equal(67684);
    expect(vmRssKiB("Name:\tkthreadd\nState:\tS\n")).to.equal(0);
  });

  it("takes a process with its children, not the shims below it", () => {
    const parents = new Map([
      [10, 1],
      [11, 10],
      [12, 11],
      [20, 10], // a shim that stayed a child
      [21, 20], // its container
      [30, 1],
    ]);
    expect(processTree(10, parents, new Set([20]))).to.deep.equal([10, 11, 12]);
    expect(processTree(10, parents)).to.deep.equal([10, 11, 20, 12, 21]);
  });

  it("counts only shims of our containerd", () => {
    const argv = (address: string) => [
      "/usr/bin/containerd-shim-runc-v2",
      "-namespace",
      "k8s.io",
      "-id",
      "86bd47e6",
      "-address",
      address,
    ];
    expect(shimSandboxId(argv("/c/state/containerd.sock"), "/c/state/containerd.sock")).to.equal(
      "86bd47e6",
    );
    expect(
      shimSandboxId(argv("/run/containerd/containerd.sock"), "/c/state/containerd.sock"),
    ).to.equal(undefined);
    expect(shimSandboxId(["/usr/bin/containerd", "-address", "/c"], "/c")).to.equal(undefined);
  });

  it("converts ticks to millicores", () => {
    expect(ticksToMillicores(600, 100, 60)).to.equal(100);
  });
});
