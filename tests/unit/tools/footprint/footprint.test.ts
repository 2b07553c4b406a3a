import { expect } from "chai";
import {
  executorFootprint,
  fitsCapacity,
  formatFootprint,
  stackFootprint,
  type StackFootprint,
} from "../../../../tools/footprint/footprint";
import { renderStack, type RenderedStack } from "../../../support/stacks";

/** The local cluster the dev stack must fit with both releases running. */
const LOCAL_CLUSTER = { cpuMilli: 4000, memoryMiB: 8 * 1024 };

describe("hardening: footprint", () => {
  let dev: RenderedStack;
  let prod: RenderedStack;
  let devFootprint: StackFootprint;
  let prodFootprint: StackFootprint;
  before(async () => {
    dev = await renderStack("dev");
    prod = await renderStack("prod");
    devFootprint = stackFootprint(dev.config, dev.manifests);
    prodFootprint = stackFootprint(prod.config, prod.manifests);
  });

  it("sizes executors as Spark does: memory + max(384 MiB, 10%), cores from request.cores, count from instances or maxExecutors", () => {
    const fixed = executorFootprint({
      "spark.executor.memory": "768m",
      "spark.executor.instances": "3",
      "spark.kubernetes.executor.request.cores": "500m",
    });
    expect(fixed.pods).to.equal(3);
    expect(fixed.perPod).to.include({ memoryRequestMiB: 1152, cpuRequestMilli: 500 });
    expect(fixed.perPod.cpuLimitUnbounded).to.equal(true);
    const dynamic = executorFootprint({
      "spark.executor.memory": "14g",
      "spark.executor.cores": "4",
      "spark.dynamicAllocation.enabled": "true",
      "spark.dynamicAllocation.maxExecutors": "8",
      "spark.kubernetes.executor.limit.cores": "4",
    });
    expect(dynamic.pods).to.equal(8);
    expect(dynamic.perPod).to.include({
      memoryRequestMiB: 14336 + 1433,
      cpuRequestMilli: 4000,
      cpuLimitMilli: 4000,
    });
    expect(() => executorFootprint({ "spark.dynamicAllocation.enabled": "true" })).to.throw(
      /maxExecutors/,
    );
  });

  it("counts Deployments × replicas per release and lists Jobs apart", () => {
    const spark35 = devFootprint.releases.find((r) => r.release === "spark-35")!;
    const worker = spark35.steady.find((l) => l.name === "spark-35-worker")!;
    expect(worker.pods).to.equal(dev.config.releases[0]!.standalone!.workers);
    const prod35 = prodFootprint.releases.find((r) => r.release === "spark-35")!;
    const prodWorker = prod35.steady.find((l) => l.name === "spark-35-worker")!;
    expect(prodWorker.pods).to.equal(4);
    expect(prodWorker.total.cpuRequestMilli).to.equal(4 * prodWorker.perPod.cpuRequestMilli);
    expect(spark35.transient.map((l) => l.name)).to.include("spark-35-metastore-schema-init");
    expect(spark35.steady.map((l) => l.kind)).to.not.include("Job");
  });

  it("counts Connect executors at their maximum (prod: dynamic allocation up to 8)", () => {
    const connect = prodFootprint.releases.find((r) => r.release === "spark-41")!;
    const executors = connect.steady.find((l) => l.kind === "Executors")!;
    expect(executors.pods).to.equal(8);
    expect(executors.perPod.memoryRequestMiB).to.equal(14 * 1024 + Math.floor(14 * 1024 * 0.1));
  });

  it("the dev stack fits a 4-CPU / 8-GiB local cluster with both releases running", () => {
    expect(devFootprint.releases.map((r) => r.release)).to.have.members(["spark-35", "spark-41"]);
    const total = devFootprint.steadyTotal;
    expect(total.cpuRequestMilli, "cpu requests (millicores)").to.be.at.most(
      LOCAL_CLUSTER.cpuMilli,
    );
    expect(total.memoryRequestMiB, "memory requests (MiB)").to.be.at.most(LOCAL_CLUSTER.memoryMiB);
    expect(fitsCapacity(total, LOCAL_CLUSTER)).to.equal(true);
    // prod does not: the check can fail.
    expect(fitsCapacity(prodFootprint.steadyTotal, LOCAL_CLUSTER)).to.equal(false);
  });

  it("formats a report with every release, the total and the Jobs", () => {
    const text = formatFootprint("dev", devFootprint);
    for (const expected of [
      "spark-35-worker",
      "spark-41-*-exec-*",
      "ALL RELEASES",
      "schema-init",
    ]) {
      expect(text).to.include(expected);
    }
  });
});
