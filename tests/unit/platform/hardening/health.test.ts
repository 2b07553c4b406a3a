import { PORTS } from "../../../../lib/naming/names";
import { expect } from "chai";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IProbe } from "kubernetes-models/v1/Probe";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IService } from "kubernetes-models/v1/Service";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { selectorMatches } from "../../../../lib/kube/analysis/networkPolicy";
import { podModels, type PodModel } from "../../../../lib/kube/analysis/pods";
import { executorFootprint } from "../../../../tools/footprint/footprint";
import { allowedDisruptions } from "../../../../lib/verify/disruptionBudgets";
import { parseSparkProperties } from "../../../../lib/kube/objects";
import { RELEASE_LABEL, type KubeManifest } from "../../../../lib/kube/objects";
import { cpuToMillicores, memoryToMiB, sizeToMiB } from "../../../../lib/units/sizes";
import { ofKind, renderStack, type RenderedStack } from "../../../support/stacks";

const STACKS = ["dev", "prod"] as const;
const HTTP_UI_PORTS = [8080, 8081, 18080, 4040];
const TCP_RPC_PORTS = [7077, 15002, 9083];
/** Spark's own overhead rule for a JVM in a pod: max(384 MiB, 10% of the heap). */
const sparkOverhead = (heapMiB: number) => Math.max(384, Math.ceil(heapMiB * 0.1));

type ConfigMap = KubeManifest & { data?: Record<string, string> };

/**
 * What a probe checks and on which port. An exec probe counts only as the HTTP request
 * the recovering master's readiness makes to its own UI (bash's /dev/tcp to 127.0.0.1).
 */
function probePort(probe: IProbe, container: IContainer): { kind: string; port: number } {
  const script = probe.exec?.command?.join(" ") ?? "";
  const execHttp = /\/dev\/tcp\/127\.0\.0\.1\/(\d+) .*GET \//.exec(script);
  if (execHttp) return { kind: "http", port: Number(execHttp[1]) };
  // The Connect server's gRPC port on loopback, where the kubelet's TCP probes cannot reach.
  const execTcp = /^\/bin\/bash -c exec 3<>\/dev\/tcp\/127\.0\.0\.1\/(\d+)$/.exec(script);
  if (execTcp) return { kind: "loopback-tcp", port: Number(execTcp[1]) };
  const raw = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
  const port =
    typeof raw === "string" ? container.ports?.find((p) => p.name === raw)?.containerPort : raw;
  const kind = probe.httpGet ? "http" : probe.tcpSocket ? "tcp" : probe.grpc ? "grpc" : "exec";
  return { kind, port: port ?? -1 };
}

const env = (c: IContainer, name: string) => c.env?.find((e) => e.name === name)?.value;

for (const stackName of STACKS) {
  describe(`hardening: health and sizing of the ${stackName} stack`, () => {
    let stack: RenderedStack;
    let pods: PodModel[];
    let deployments: IDeployment[];
    before(async () => {
      stack = await renderStack(stackName);
      pods = podModels(stack.manifests);
      deployments = ofKind<IDeployment>(stack.manifests, "Deployment");
    });

    const sparkDefaultsOf = (release: string) => {
      const name = `${release}-spark-defaults`;
      const map = ofKind<ConfigMap>(stack.manifests, "ConfigMap").find(
        (c) => c.metadata?.name === name,
      );
      expect(map, name).to.not.equal(undefined);
      return parseSparkProperties(map!.data!["spark-defaults.conf"]!);
    };
    const containerOf = (deploymentName: string) => {
      const d = deployments.find((x) => x.metadata?.name === deploymentName);
      expect(d, deploymentName).to.not.equal(undefined);
      return d!.spec!.template.spec!.containers[0]!;
    };

    it("every long-running container has readiness and liveness probes: HTTP on UIs, TCP on RPC ports", () => {
      const master = containerOf("spark-35-master");
      expect(probePort(master.readinessProbe!, master)).to.deep.equal({ kind: "http", port: 8080 });
      expect(deployments.length).to.be.greaterThan(5);
      for (const d of deployments) {
        for (const c of d.spec!.template.spec!.containers) {
          const id = `${d.metadata?.name}/${c.name}`;
          const listening = (c.ports ?? []).map((p) => p.containerPort);
          for (const [which, probe] of [
            ["readiness", c.readinessProbe],
            ["liveness", c.livenessProbe],
          ] as const) {
            expect(probe, `${id} ${which}Probe`).to.not.equal(undefined);
            const { kind, port } = probePort(probe!, c);
            if (kind === "loopback-tcp") {
              // Bound by the server's spark-defaults, not a declared container port.
              expect(port, `${id} ${which}`).to.equal(PORTS.connectGrpcLoopback);
              continue;
            }
            expect(listening, `${id} ${which} probes a port it listens on`).to.include(port);
            if (kind === "http") expect(HTTP_UI_PORTS, `${id} ${which}`).to.include(port);
            else if (kind === "tcp") expect(TCP_RPC_PORTS, `${id} ${which}`).to.include(port);
            else expect.fail(`${id} ${which}: ${kind} probe`);
          }
        }
      }
    });

    it("every container declares CPU and memory requests and limits (executors: Spark sets them)", () => {
      for (const pod of pods) {
        if (pod.labels["app.kubernetes.io/component"] === "executor") continue;
        for (const c of pod.spec.containers) {
          const id = `${pod.origin}/${c.name}`;
          const { requests = {}, limits = {} } = c.resources ?? {};
          for (const key of ["cpu", "memory"]) {
            expect(requests, `${id} requests`).to.have.property(key);
            expect(limits, `${id} limits`).to.have.property(key);
          }
          expect(memoryToMiB(requests["memory"]!), `${id} memory request = limit`).to.equal(
            memoryToMiB(limits["memory"]!),
          );
          expect(cpuToMillicores(limits["cpu"]!)).to.be.at.least(cpuToMillicores(requests["cpu"]!));
        }
      }
    });

    it("worker limits hold SPARK_WORKER_MEMORY plus overhead and the daemon; CPU = SPARK_WORKER_CORES", () => {
      const worker = containerOf("spark-35-worker");
      const workerMiB = sizeToMiB(env(worker, "SPARK_WORKER_MEMORY")!);
      const daemonMiB = sizeToMiB(env(worker, "SPARK_DAEMON_MEMORY")!);
      const cores = Number(env(worker, "SPARK_WORKER_CORES"));
      const { requests, limits } = worker.resources!;
      expect(memoryToMiB(limits!["memory"]!)).to.be.at.least(
        workerMiB + sparkOverhead(workerMiB) + daemonMiB,
      );
      expect(cpuToMillicores(limits!["cpu"]!)).to.equal(cores * 1000);
      expect(cpuToMillicores(requests!["cpu"]!)).to.equal(cores * 1000);
      expect(worker.args).to.include.members(["--cores", String(cores)]);
    });

    it("daemon containers hold their heap (master, History Server, metastore)", () => {
      for (const release of ["spark-35", "spark-41"]) {
        const history = containerOf(`${release}-history`);
        expect(memoryToMiB(history.resources!.limits!["memory"]!)).to.be.greaterThan(
          sizeToMiB(env(history, "SPARK_DAEMON_MEMORY")!),
        );
        const metastore = containerOf(`${release}-metastore`);
        const heap = /-Xmx(\d+[mg])/.exec(env(metastore, "SERVICE_OPTS") ?? "")?.[1];
        expect(heap, `${release} metastore heap in SERVICE_OPTS`).to.not.equal(undefined);
        expect(memoryToMiB(metastore.resources!.limits!["memory"]!)).to.be.at.least(
          sizeToMiB(heap!) + 256,
        );
      }
      const master = containerOf("spark-35-master");
      expect(memoryToMiB(master.resources!.limits!["memory"]!)).to.be.greaterThan(
        sizeToMiB(env(master, "SPARK_DAEMON_MEMORY")!),
      );
    });

    it("the Connect container is spark.driver.memory + max(384 MiB, 10%), CPU = spark.driver.cores", () => {
      const defaults = sparkDefaultsOf("spark-41");
      const driverMiB = sizeToMiB(defaults["spark.driver.memory"]!);
      const connect = containerOf("spark-41-connect");
      const { requests, limits } = connect.resources!;
      expect(memoryToMiB(limits!["memory"]!)).to.equal(driverMiB + sparkOverhead(driverMiB));
      expect(memoryToMiB(requests!["memory"]!)).to.equal(driverMiB + sparkOverhead(driverMiB));
      const cores = Number(defaults["spark.driver.cores"]);
      expect(cpuToMillicores(limits!["cpu"]!)).to.equal(cores * 1000);
    });

    it("executor pods are sized by spark-defaults: executor memory + overhead, CPU request set", () => {
      const release = stack.config.releases.find((r) => r.name === "spark-41")!;
      const defaults = sparkDefaultsOf("spark-41");
      const memory = sizeToMiB(defaults["spark.executor.memory"]!);
      expect(memory).to.equal(release.connect!.executorMemoryMiB);
      expect(defaults["spark.executor.cores"]).to.equal(String(release.connect!.executorCores));
      expect(defaults).to.have.property("spark.kubernetes.executor.request.cores");
      const executors = executorFootprint(defaults);
      expect(executors.perPod.memoryLimitMiB).to.be.closeTo(memory + sparkOverhead(memory), 1);
      expect(executors.pods).to.be.greaterThan(0);
      // The template leaves CPU and memory to Spark, so nothing in it contradicts
      // spark-defaults; it sets only ephemeral storage, which Spark never sets.
      const template = pods.find((p) => p.labels["app.kubernetes.io/component"] === "executor")!;
      const { requests = {}, limits = {} } = template.spec.containers[0]!.resources ?? {};
      expect(Object.keys(requests)).to.deep.equal(["ephemeral-storage"]);
      expect(Object.keys(limits)).to.deep.equal(["ephemeral-storage"]);
    });

    it("PodDisruptionBudgets exist only for multi-replica workloads and never block a drain", () => {
      const pdbs = ofKind<IPodDisruptionBudget>(stack.manifests, "PodDisruptionBudget");
      const selecting = (d: IDeployment) =>
        pdbs.filter(
          (b) =>
            b.metadata?.namespace === d.metadata?.namespace &&
            selectorMatches(b.spec?.selector, d.spec!.template.metadata!.labels!),
        );
      for (const d of deployments) {
        const replicas = d.spec!.replicas ?? 1;
        const budgets = selecting(d);
        if (replicas <= 1) {
          // minAvailable 1 on one replica allows 0 evictions: every node drain would hang.
          expect(budgets, `${d.metadata?.name} (1 replica) has no PDB`).to.deep.equal([]);
          continue;
        }
        expect(budgets, `${d.metadata?.name} (${replicas} replicas)`).to.have.length(1);
        const pdb = budgets[0]!;
        expect(allowedDisruptions(pdb.spec!, replicas)).to.be.at.least(1);
        expect(allowedDisruptions(pdb.spec!, replicas)).to.be.below(replicas);
        const own = pods.filter(
          (p) => p.origin === `Deployment/${d.metadata?.namespace}/${d.metadata?.name}`,
        );
        const selected = pods.filter(
          (p) =>
            p.namespace === pdb.metadata?.namespace &&
            selectorMatches(pdb.spec?.selector, p.labels),
        );
        expect(selected.map((p) => p.origin)).to.deep.equal(own.map((p) => p.origin));
        expect(pdb.spec?.unhealthyPodEvictionPolicy).to.equal("AlwaysAllow");
      }
      const multi = deployments.filter((d) => (d.spec!.replicas ?? 1) > 1);
      expect(pdbs).to.have.length(multi.length);
    });

    it("every Service selects pods of its own release only, and some pod", () => {
      for (const service of ofKind<IService>(stack.manifests, "Service")) {
        const selector = service.spec?.selector ?? {};
        const id = service.metadata?.name;
        expect(selector, id).to.have.property(RELEASE_LABEL);
        const selected = pods.filter(
          (p) =>
            p.namespace === service.metadata?.namespace &&
            selectorMatches({ matchLabels: selector }, p.labels),
        );
        expect(selected.length, id).to.be.greaterThan(0);
        for (const p of selected) {
          expect(p.labels[RELEASE_LABEL], `${id} selects ${p.origin}`).to.equal(
            service.metadata?.labels?.[RELEASE_LABEL],
          );
        }
      }
    });
  });
}
