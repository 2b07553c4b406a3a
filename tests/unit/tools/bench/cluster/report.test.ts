import { expect } from "chai";
import {
  BENCH_HEADING,
  benchSection,
  disturbanceNote,
  upsertSection,
  usageTable,
} from "../../../../../tools/bench/cluster/report";
import { MiB, type ClusterBenchResult } from "../../../../../tools/bench/cluster/result";

describe("cluster benchmark: report", () => {
  const result: ClusterBenchResult = {
    date: "2025-12-01",
    machine: "2 cores",
    command: "npm run bench:cluster",
    readinessPollSeconds: 2,
    pulumi: {
      upSeconds: 150,
      readySeconds: 160,
      destroySeconds: 40,
      goneSeconds: 45,
      resources: 70,
    },
    kubectl: {
      renderUpSeconds: 20,
      files: 60,
      applySeconds: 3,
      readySeconds: 100,
      deleteSeconds: 30,
    },
    idle: {
      windowSeconds: 60,
      settleSeconds: 30,
      controlPlane: [
        { name: "etcd", rssBytes: 64 * MiB, pssBytes: 60 * MiB, millicores: 20 },
        { name: "kube-apiserver", rssBytes: 300 * MiB, pssBytes: 290 * MiB, millicores: 60 },
      ],
      shims: {
        name: "containerd shims (2, one per pod)",
        rssBytes: 28 * MiB,
        pssBytes: 10 * MiB,
        millicores: 2,
      },
      pods: [
        {
          name: "spark-35-master-0",
          rssBytes: 200 * MiB,
          pssBytes: 180 * MiB,
          workingSetBytes: 250 * MiB,
          millicores: 10,
        },
      ],
    },
    disturbances: [],
  };

  it("sums the control plane, the pods and the total", () => {
    const table = usageTable(result);
    expect(table).to.match(
      /\| \*\*control plane, node and shared services\*\* \| 392 \| 360 \| {2}\| 82m \|/,
    );
    expect(table).to.match(/\| \*\*platform pods\*\* \| 200 \| 180 \| 250 \| 10m \|/);
    expect(table).to.match(/\| \*\*total\*\* \| 592 \| 540 \| 250 \| 92m \|/);
  });

  it("the section claims a quiet node only when nothing else ran", () => {
    expect(benchSection(result)).to.contain("with nothing else on the node");
    const disturbed = benchSection({
      ...result,
      disturbances: [{ pod: "it-x", phase: "idle window" }],
    });
    expect(disturbed).not.to.contain("nothing else");
    expect(disturbed).not.to.contain("nothing running");
    expect(disturbed).to.contain("- idle window: `it-x`");
  });

  it("the section states the difference pulumi up makes", () => {
    expect(benchSection(result)).to.contain(
      "| difference (pulumi less kubectl) | 147.0 s | 60.0 s |",
    );
  });

  it("replaces the section in place and leaves the rest", () => {
    const doc =
      "# T\n\n## A\n\na\n\n## Benchmark: pulumi up versus kubectl apply\n\nold\n\n## B\n\nb\n";
    const updated = upsertSection(doc, BENCH_HEADING, "new");
    expect(updated).to.equal(
      "# T\n\n## A\n\na\n\n## Benchmark: pulumi up versus kubectl apply\n\nnew\n\n## B\n\nb\n",
    );
    expect(upsertSection(updated, BENCH_HEADING, "new")).to.equal(updated);
    expect(upsertSection("# T\n\n## A\n\na\n", BENCH_HEADING, "x")).to.equal(
      "# T\n\n## A\n\na\n\n## Benchmark: pulumi up versus kubectl apply\n\nx\n",
    );
  });

  it("says in the section which phases others disturbed, or that none did", () => {
    const note = disturbanceNote([
      { pod: "it-net-x", phase: "idle window" },
      { pod: "it-job-y", phase: "idle window" },
    ]).join(" ");
    expect(note).to.contain("**Disturbed run.**");
    expect(note).to.contain("- idle window: `it-net-x`, `it-job-y`");
    expect(disturbanceNote([]).join(" ")).to.contain("No pod but the platform's");
  });
});
