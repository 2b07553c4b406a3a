import { expect } from "chai";
import { readFileSync } from "node:fs";
import { rawConfigFromStackYaml } from "../../../../../lib/config/sources";
import {
  BENCH_HEADING,
  benchSection,
  disturbanceNote,
  disturbancesIn,
  foreignPods,
  memoryStat,
  namespaceFilesFirst,
  nanosToMillicores,
  MiB,
  podUidOfCgroup,
  podsScheduledSince,
  processTree,
  renderOverrides,
  shimSandboxId,
  smapsPssKiB,
  statCpuTicks,
  statParent,
  ticksToMillicores,
  upsertSection,
  usageTable,
  vmRssKiB,
  workingSetBytes,
  type ClusterBenchResult,
} from "../../../../../tools/bench/cluster/report";
import {
  clusterEnvFromExports,
  localClusterOverrides,
  parseExports,
} from "../../../../../tools/engine/localCluster";
import {
  composeOverrides,
  platformValues,
  workspaceStackYaml,
} from "../../../../../tools/engine/stackFile";
import { stackFilePath } from "../../../../../tools/cli/stackFiles";
import { parseValid } from "../../../../support/stacks";

const CLUSTER = clusterEnvFromExports(
  parseExports(
    [
      "export KUBECONFIG=/cache/admin.kubeconfig",
      "export PATH=/usr/bin",
      "export PGHOST=10.201.0.1",
      "export PGPORT=5432",
      "export PGPASSWORD=pg-secret",
      "export SPARK_PLATFORM_MINIO_ENDPOINT=http://10.201.0.1:9000",
      "export AWS_ACCESS_KEY_ID=access",
      "export AWS_SECRET_ACCESS_KEY=secret",
    ].join("\n"),
  ),
);

describe("engine: cluster benchmark helpers", () => {
  describe("the render stack's overrides", () => {
    const committedText = readFileSync(stackFilePath("local"), "utf8");
    const committed = platformValues(committedText);
    // What Pulumi.local.yaml sets under kubernetes (none of it a kubeconfig or a render dir).
    const committedKubernetes = (committed["kubernetes"] ?? {}) as Record<string, unknown>;

    it("survive the local cluster's override: rendered, no kubeconfig, backends still local", () => {
      const overrides = composeOverrides(
        localClusterOverrides(committed, CLUSTER),
        undefined,
        renderOverrides(committed, "/cache/bench/render-x"),
      );
      expect(overrides["kubernetes"]).to.deep.equal({
        ...committedKubernetes,
        renderYamlToDirectory: "/cache/bench/render-x",
      });
      expect(overrides["postgres"]).to.include({ adminHost: "10.201.0.1", adminPort: 5432 });

      const text = workspaceStackYaml({ committed: committedText, overrides, dropSecrets: true });
      const values = platformValues(text);
      expect(values["kubernetes"]).to.deep.equal({
        ...committedKubernetes,
        renderYamlToDirectory: "/cache/bench/render-x",
      });
      // The secrets are set apart (pulumi config set --secret); placeholders stand in.
      const read = rawConfigFromStackYaml(text);
      const secretKeys = ["postgresAdminPassword", "objectStoreAccessKey", "objectStoreSecretKey"];
      const config = parseValid({
        ...read,
        values: { ...read.values, ...Object.fromEntries(secretKeys.map((k) => [k, "[secret]"])) },
        secretKeys: new Set([...read.secretKeys, ...secretKeys]),
      });
      expect(config.kubernetes.renderYamlToDirectory).to.equal("/cache/bench/render-x");
      expect(config.kubernetes.kubeconfig).to.equal(undefined);
    });

    it("keep the committed kubernetes settings other than the kubeconfig", () => {
      expect(
        renderOverrides(
          { kubernetes: { context: "kind", kubeconfig: "/k", apiServerPort: 6443 } },
          "/d",
        ),
      ).to.deep.equal({
        kubernetes: { context: "kind", apiServerPort: 6443, renderYamlToDirectory: "/d" },
      });
    });

    it("without a caller's layer the local cluster's kubeconfig stays and nothing renders", () => {
      const overrides = composeOverrides(localClusterOverrides(committed, CLUSTER), undefined);
      expect(overrides["kubernetes"]).to.deep.equal({
        ...committedKubernetes,
        kubeconfig: "/cache/admin.kubeconfig",
      });
    });
  });

  it("puts the files that hold a Namespace first", () => {
    const split = namespaceFilesFirst([
      { path: "/r/1-manifest/apps-v1-deployment-spark-a.yaml", text: "kind: Deployment\n" },
      {
        path: "/r/1-manifest/v1-namespace-spark.yaml",
        text: "apiVersion: v1\nkind: Namespace\nmetadata: { name: spark }\n",
      },
      {
        path: "/r/1-manifest/multi.yaml",
        text: "kind: ConfigMap\nmetadata: { name: m, namespace: spark }\n---\nkind: Namespace\nmetadata: { name: spark }\n",
      },
      { path: "/r/0-crd/empty.yaml", text: "" },
    ]);
    expect(split.namespaces).to.deep.equal([
      "/r/1-manifest/multi.yaml",
      "/r/1-manifest/v1-namespace-spark.yaml",
    ]);
    expect(split.others).to.deep.equal([
      "/r/0-crd/empty.yaml",
      "/r/1-manifest/apps-v1-deployment-spark-a.yaml",
    ]);
    expect(split.foreign).to.deep.equal([]);
  });

  it("names the namespaces objects go to that the render does not create", () => {
    const split = namespaceFilesFirst([
      { path: "/r/ns.yaml", text: "kind: Namespace\nmetadata: { name: spark }\n" },
      { path: "/r/a.yaml", text: "kind: Service\nmetadata: { name: a, namespace: spark }\n" },
      { path: "/r/b.yaml", text: "kind: Service\nmetadata: { name: b, namespace: spark-infra }\n" },
      { path: "/r/c.yaml", text: "kind: ClusterRole\nmetadata: { name: c }\n" },
    ]);
    expect(split.foreign).to.deep.equal(["spark-infra"]);
  });

  describe("/proc readings", () => {
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

    it("converts ticks and cpuacct nanoseconds to millicores", () => {
      expect(ticksToMillicores(600, 100, 60)).to.equal(100);
      expect(nanosToMillicores(3e9, 60)).to.equal(50);
    });
  });

  describe("pods of others in the namespace", () => {
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

    it("says in the section which phases others disturbed, or that none did", () => {
      const note = disturbanceNote([
        { pod: "it-net-x", phase: "idle window" },
        { pod: "it-job-y", phase: "idle window" },
      ]).join(" ");
      expect(note).to.contain("**Disturbed run.**");
      expect(note).to.contain("- idle window: `it-net-x`, `it-job-y`");
      expect(disturbanceNote([]).join(" ")).to.contain("No pod but the platform's");
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

  describe("cgroup readings", () => {
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
  });

  describe("report", () => {
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
  });
});
